// Judges what a server sent back, before a single byte of it is written. Pure functions over
// status and headers, so every misbehaviour the fault servers produce is a row in a table test.
import { FerryError, FileChangedError, HttpStatusError, RangeUnsupportedError } from './errors.js';
import { parseRetryAfter } from './retry-delay.js';

type Headers = Record<string, string | string[] | undefined>;

function first(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface ProbeResult {
  size: number | null;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** The server says it serves ranges (still to be proven by a 206). */
  acceptsRanges: boolean;
  contentDisposition: string | undefined;
}

/** Throws for statuses that are not a file body; otherwise reads size and validators. */
export function checkProbeResponse(status: number, headers: Headers): ProbeResult {
  if (status !== 200) throw statusError(status, headers);
  return {
    size: bodyLength(headers),
    contentType: first(headers, 'content-type') ?? null,
    etag: first(headers, 'etag') ?? null,
    lastModified: first(headers, 'last-modified') ?? null,
    acceptsRanges: (first(headers, 'accept-ranges') ?? '').toLowerCase() !== 'none',
    contentDisposition: first(headers, 'content-disposition'),
  };
}

function isHtml(contentType: string | null | undefined): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '');
}

/**
 * A web page where the file should be (an expired session, a login wall, a captive portal):
 * the file was not HTML when first probed, and this response is. Thrown before a byte is
 * written, so the data on disk is kept; retryable, because a page served once by a struggling
 * server passes, while one that stays fails the download once the retries run out.
 */
export function checkNotAnErrorPage(headers: Headers, originalType: string | null): void {
  if (originalType === null || isHtml(originalType)) return;
  if (isHtml(first(headers, 'content-type'))) {
    throw new FerryError(
      'HTML_INSTEAD_OF_FILE',
      'The server sent a web page instead of the file; the link may have expired or need a login.',
      { retryable: true },
    );
  }
}

export function statusError(status: number, headers: Headers): FerryError {
  return new HttpStatusError(status, parseRetryAfter(first(headers, 'retry-after')));
}

/**
 * The length of the body as the bytes of the file, or null when it cannot be known in advance:
 * no Content-Length, a body that is content-encoded (its length is not the file's), or
 * conflicting Content-Length values (a response-splitting sign; treated as unknown, never trusted).
 */
export function bodyLength(headers: Headers): number | null {
  const encoding = (first(headers, 'content-encoding') ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== '') return null;
  const raw = headers['content-length'];
  if (raw === undefined) return null;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(',')).map((v) => v.trim());
  if (values.some((v) => !/^\d+$/.test(v)) || new Set(values).size !== 1) return null;
  const n = Number(values[0]);
  return Number.isSafeInteger(n) ? n : null;
}

/** Strong validators only: a weak ETag (W/"...") may not be used in If-Range (RFC 9110 §13.1.5). */
export function ifRangeValidator(etag: string | null, lastModified: string | null): string | null {
  if (etag && !etag.startsWith('W/')) return etag;
  return lastModified;
}

export interface ExpectedRange {
  start: number;
  end: number;
  /** The size of the file as first probed. */
  size: number;
  etag: string | null;
  lastModified: string | null;
  contentType?: string | null;
}

/**
 * Checks a response to `Range: bytes=start-end`. Returns normally when the body is exactly those
 * bytes of the same file. Throws FileChangedError when the file on the server is a different one,
 * RangeUnsupportedError when ranges are ignored or answered wrongly, HttpStatusError otherwise.
 */
export function checkRangeResponse(status: number, headers: Headers, expected: ExpectedRange): void {
  if (status === 200 || status === 206) checkNotAnErrorPage(headers, expected.contentType ?? null);
  if (status === 200) {
    if (validatorsChanged(headers, expected) || (bodyLength(headers) ?? expected.size) !== expected.size) {
      throw new FileChangedError('The file on the server changed since the download started.');
    }
    throw new RangeUnsupportedError('The server sent the whole file instead of the requested range.');
  }
  if (status === 416) {
    throw new FileChangedError('The server says the file is shorter than when the download started.');
  }
  if (status !== 206) throw statusError(status, headers);
  if (validatorsChanged(headers, expected)) {
    throw new FileChangedError('The file on the server changed since the download started (new ETag or date).');
  }
  const range = parseContentRange(first(headers, 'content-range'));
  if (!range) throw new RangeUnsupportedError('The server sent a range without a valid Content-Range.');
  if (range.total !== null && range.total !== expected.size) {
    throw new FileChangedError(`The file on the server changed size (${expected.size} → ${range.total} bytes).`);
  }
  if (range.start !== expected.start || range.end !== expected.end) {
    throw new RangeUnsupportedError(
      `The server answered bytes ${range.start}-${range.end} to a request for ${expected.start}-${expected.end}.`,
    );
  }
  const length = bodyLength(headers);
  if (length !== null && length !== expected.end - expected.start + 1) {
    throw new RangeUnsupportedError('The length of the range body does not match its Content-Range.');
  }
  const encoding = (first(headers, 'content-encoding') ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    throw new RangeUnsupportedError(`The server encoded the range (${encoding}) although identity was asked.`);
  }
}

function validatorsChanged(headers: Headers, expected: { etag: string | null; lastModified: string | null }): boolean {
  const etag = first(headers, 'etag');
  if (expected.etag && etag && stripWeak(etag) !== stripWeak(expected.etag)) return true;
  const lastModified = first(headers, 'last-modified');
  if (expected.lastModified && lastModified && lastModified !== expected.lastModified) return true;
  return false;
}

function stripWeak(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

/** `bytes a-b/total` (total may be `*`). Anything else, including a missing unit, is null. */
export function parseContentRange(
  value: string | undefined,
): { start: number; end: number; total: number | null } | null {
  if (!value) return null;
  const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  const total = m[3] === '*' ? null : Number(m[3]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return null;
  if (total !== null && (!Number.isSafeInteger(total) || end >= total)) return null;
  return { start, end, total };
}
