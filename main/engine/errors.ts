// Errors are classes with a stable `code`, a `retryable` flag and a sentence a person understands.
// Retryable errors are handled per segment (backoff, then another attempt); fatal ones end the
// download with that message shown to the user.

export class FerryError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FerryError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  toInfo(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** The URL is not one Ferry will fetch (not http/https, malformed, ...). */
export class InvalidUrlError extends FerryError {
  constructor(message: string) {
    super('INVALID_URL', message);
  }
}

/** The server answered with an HTTP status that means the request will not succeed as is. */
export class HttpStatusError extends FerryError {
  readonly status: number;
  /** Milliseconds the server asked us to wait (Retry-After), if any. */
  readonly retryAfterMs: number | null;

  constructor(status: number, retryAfterMs: number | null = null) {
    super(httpCode(status), httpMessage(status), { retryable: isRetryableStatus(status) });
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Connection refused, reset, DNS failure, TLS failure, timeouts: worth another attempt. */
export class NetworkError extends FerryError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { retryable: true, cause });
  }
}

/**
 * The server does not honour byte ranges for this file, or honours them wrongly (a 200 to a Range
 * request, a Content-Range other than the one asked for, a body of the wrong length). Not an error
 * the user sees: the engine falls back to a single stream and never writes such a body at an
 * offset it does not belong to.
 */
export class RangeUnsupportedError extends FerryError {
  constructor(message: string) {
    super('RANGE_UNSUPPORTED', message);
  }
}

/**
 * The file on the server is not the one we started with (the validators, the length, or the
 * Content-Range total changed). Splicing bytes of two versions would produce a file that matches
 * neither, so the engine starts over from byte 0 and records this reason.
 */
export class FileChangedError extends FerryError {
  constructor(message: string) {
    super('FILE_CHANGED', message);
  }
}

/** The body ended before the bytes the server promised (Content-Length or the range) arrived. */
export class ShortBodyError extends FerryError {
  constructor(expected: number, received: number) {
    super('SHORT_BODY', `The connection closed after ${received} of ${expected} bytes.`, { retryable: true });
  }
}

export class StorageError extends FerryError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}

export class NotFoundError extends FerryError {
  constructor(id: number) {
    super('DOWNLOAD_NOT_FOUND', `There is no download with id ${id}.`);
  }
}

export class InvalidStateError extends FerryError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}

export class OutputExistsError extends FerryError {
  constructor(path: string) {
    super('OUTPUT_EXISTS', `${path} already exists and is not an unfinished Ferry download; use --overwrite to replace it.`);
  }
}

export class OutputIsFolderError extends FerryError {
  constructor(path: string) {
    super('OUTPUT_IS_FOLDER', `${path} names a folder; give -o a file name, or download into that folder with -d.`);
  }
}

/** Thrown into workers when the user pauses, cancels or the engine closes. Never shown. */
export class AbortedError extends FerryError {
  constructor() {
    super('ABORTED', 'The transfer was stopped.');
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

const STATUS_TEXT: Record<number, [string, string]> = {
  400: ['HTTP_BAD_REQUEST', 'The server rejected the request as malformed (HTTP 400).'],
  401: ['HTTP_UNAUTHORIZED', 'The server requires a login for this file (HTTP 401).'],
  403: ['HTTP_FORBIDDEN', 'The server refused access to this file (HTTP 403); the link may have expired.'],
  404: ['HTTP_NOT_FOUND', 'The file was not found on the server (HTTP 404).'],
  405: ['HTTP_METHOD_NOT_ALLOWED', 'The server does not allow downloading this URL (HTTP 405).'],
  407: ['HTTP_PROXY_AUTH', 'A proxy requires authentication (HTTP 407).'],
  408: ['HTTP_TIMEOUT', 'The server timed out waiting for the request (HTTP 408).'],
  410: ['HTTP_GONE', 'The file is gone from the server for good (HTTP 410).'],
  416: ['HTTP_RANGE_NOT_SATISFIABLE', 'The server could not serve the requested byte range (HTTP 416).'],
  429: ['HTTP_TOO_MANY_REQUESTS', 'The server is limiting requests (HTTP 429).'],
  451: ['HTTP_UNAVAILABLE_LEGAL', 'The file is unavailable for legal reasons (HTTP 451).'],
  500: ['HTTP_SERVER_ERROR', 'The server had an internal error (HTTP 500).'],
  502: ['HTTP_BAD_GATEWAY', 'A gateway in front of the server failed (HTTP 502).'],
  503: ['HTTP_UNAVAILABLE', 'The server is temporarily unavailable (HTTP 503).'],
  504: ['HTTP_GATEWAY_TIMEOUT', 'A gateway in front of the server timed out (HTTP 504).'],
};

function httpCode(status: number): string {
  return STATUS_TEXT[status]?.[0] ?? (status >= 500 ? 'HTTP_SERVER_ERROR' : `HTTP_${status}`);
}

function httpMessage(status: number): string {
  return STATUS_TEXT[status]?.[1] ?? `The server answered with HTTP status ${status}.`;
}

/** More redirects than Ferry follows (got's limit, which the lean path shares). */
export function tooManyRedirects(): FerryError {
  return new FerryError('TOO_MANY_REDIRECTS', 'The server redirected too many times (a redirect loop?).');
}

/**
 * OpenSSL's (and Node's) codes for a certificate that does not verify. Asking again gets the same
 * certificate, so these end the download at once instead of being retried as network errors.
 */
const CERTIFICATE_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_REJECTED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Turns anything thrown into a FerryError, keeping codes of errors that already have one. */
export function toFerryError(error: unknown): FerryError {
  if (error instanceof FerryError) return error;
  const err = error as NodeJS.ErrnoException & { code?: string; name?: string };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return new NetworkError('CONNECTION_REFUSED', 'The server refused the connection.', error);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return new NetworkError('CONNECTION_RESET', 'The connection was reset by the server.', error);
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return new NetworkError('TIMEOUT', 'The server stopped sending data and the connection timed out.', error);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new NetworkError('HOST_NOT_FOUND', 'The server name could not be resolved.', error);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new NetworkError('NETWORK_UNREACHABLE', 'The network or host is unreachable.', error);
    case 'ERR_TOO_MANY_REDIRECTS':
      return tooManyRedirects();
    case 'ERR_UNSUPPORTED_PROTOCOL':
      // Only a redirect gets here (the URL itself was checked when it was added): not retried.
      return new InvalidUrlError(`The server redirected to a link Ferry does not follow (${err.message}); only http and https links are downloaded.`);
    case 'ENOSPC':
      return new StorageError('DISK_FULL', 'The disk is full; free some space and resume.', error);
    case 'EACCES':
    case 'EPERM':
      return new StorageError('NO_PERMISSION', 'Ferry has no permission to write to the download folder.', error);
    case 'EROFS':
      return new StorageError('READ_ONLY', 'The download folder is on a read-only file system.', error);
    case 'EFBIG':
      return new StorageError('FILE_TOO_LARGE', 'The file is larger than this file system allows.', error);
    case 'ENOENT':
      return new StorageError('FOLDER_MISSING', 'The download folder or partial file no longer exists.', error);
    case 'EISDIR':
      // `--overwrite` onto a folder: a folder is never replaced, whatever the flag says.
      return new StorageError('OUTPUT_IS_FOLDER', 'A folder has the name the file should get; Ferry never replaces a folder.', error);
    case 'ENOTDIR':
      return new StorageError('NOT_A_FOLDER', 'Part of the download folder\'s path is a file, not a folder.', error);
    default:
      break;
  }
  if (code && CERTIFICATE_CODES.has(code)) {
    return new FerryError('TLS_CERTIFICATE', `The server's certificate could not be verified (${err.message}); Ferry does not download over a connection it cannot trust.`, { cause: error });
  }
  if (code && /^(ERR_|E[A-Z]+)/.test(code) && err?.name && /RequestError|ReadError|TimeoutError/.test(err.name)) {
    return new NetworkError('NETWORK_ERROR', `The transfer failed: ${err.message}`, error);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new NetworkError('NETWORK_ERROR', `The transfer failed: ${message}`, error);
}
