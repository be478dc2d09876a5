// Opens HTTP(S) streams with got, configured the way a segmented downloader needs: no
// decompression (bytes on disk must be the server's bytes), got's own retry off (the engine
// retries per segment), keep-alive agents so re-used connections skip the handshake.
//
// got (and the http2, tls and dns modules behind it) is loaded on the first request that needs
// it: downloads that the lean path serves never do, which saves the `ferry` command
// about 0.1 s of start-up and several MiB. So are node:http and node:https themselves (12 ms of
// every start here): got's agents and requests take them from process.getBuiltinModule.
import type http from 'node:http';
import type https from 'node:https';
import type { Readable } from 'node:stream';
import type { Got, Request } from 'got';
import { AbortedError, toFerryError } from './errors.js';

export interface OpenRequest {
  url: string;
  /** Inclusive byte range; `end` null asks for everything from `start`. */
  range?: { start: number; end: number | null };
  /** Strong ETag or Last-Modified; the server sends the whole file instead of a range if it changed. */
  ifRange?: string | null;
  /** Aborting destroys the request, even while it waits for the response headers. */
  signal?: AbortSignal;
}

export interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The URL after redirects. */
  url: string;
  /** The response body; destroy it to stop the transfer. */
  body: Readable;
}

export interface HttpClient {
  open(request: OpenRequest): Promise<OpenResponse>;
  destroy(): void;
}

/** Certificates to trust instead of Node's roots for https (as tls.connect's `ca`; tests serve their own). */
export type TrustedCertificates = string | Buffer | (string | Buffer)[];

export interface HttpClientOptions {
  connectTimeoutMs: number;
  /** Time allowed for response headers to arrive. */
  responseTimeoutMs: number;
  userAgent?: string;
  ca?: TrustedCertificates;
}

export const USER_AGENT = 'Ferry/0.1 (+https://github.com/ferry-dl/ferry)';

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agentOptions = { keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' as const };
  let agent: { http: http.Agent; https: https.Agent } | null = null;
  let client: Promise<Got> | null = null;
  let destroyed = false;
  const load = (): Promise<Got> =>
    (client ??= import('got').then(({ default: got }) => {
      if (destroyed) throw new AbortedError();
      const { http, https } = builtins();
      agent = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
      return got.extend({
        request: tolerantRequest,
        decompress: false,
        retry: { limit: 0 },
        throwHttpErrors: false,
        followRedirect: true,
        maxRedirects: 10,
        agent,
        ...(options.ca === undefined ? {} : { https: { certificateAuthority: options.ca } }),
        timeout: { connect: options.connectTimeoutMs, secureConnect: options.connectTimeoutMs, response: options.responseTimeoutMs },
        headers: { 'user-agent': options.userAgent ?? USER_AGENT, 'accept-encoding': 'identity' },
      });
    }));

  return {
    async open(request) {
      const got = await load();
      const headers: Record<string, string> = {};
      if (request.range) headers.range = `bytes=${request.range.start}-${request.range.end ?? ''}`;
      if (request.ifRange) headers['if-range'] = request.ifRange;
      return new Promise<OpenResponse>((resolve, reject) => {
        let body: Request;
        try {
          body = got.stream(request.url, { headers });
        } catch (error) {
          reject(toFerryError(error));
          return;
        }
        const onError = (error: unknown) => reject(toFerryError(error));
        const { signal } = request;
        if (signal) {
          const onAbort = () => body.destroy(new AbortedError());
          if (signal.aborted) onAbort();
          else {
            // A connection's signal outlives many requests: let go of each one when it is done.
            signal.addEventListener('abort', onAbort, { once: true });
            body.once('close', () => signal.removeEventListener('abort', onAbort));
          }
        }
        // Errors after the response are seen by whoever reads the body; this keeps one emitted
        // before anyone reads from becoming an uncaught exception.
        body.on('error', () => {});
        body.once('error', onError);
        body.once('response', (res: http.IncomingMessage & { url: string }) => {
          body.off('error', onError);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, url: res.url || request.url, body });
        });
      });
    },
    destroy() {
      destroyed = true;
      agent?.http.destroy();
      agent?.https.destroy();
    },
  };
}

/**
 * http(s).request, except that a parse error after a complete response (a PHP warning printed
 * after readfile(), junk after the body) is not reported: the body is whole, and reporting it
 * would make got drop bytes it has not handed on yet. Node already destroys that socket, so it
 * is never reused.
 */
function tolerantRequest(url: URL, options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void): http.ClientRequest {
  const { http, https } = builtins();
  const req = (url.protocol === 'https:' ? https : http).request(url, options, callback);
  const emit = req.emit.bind(req);
  req.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'error' && (req as { res?: http.IncomingMessage }).res?.complete) return false;
    return emit(event, ...args);
  }) as typeof req.emit;
  return req;
}

export function header(headers: OpenResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** node:http and node:https, loaded when got first needs them. */
function builtins(): { http: typeof http; https: typeof https } {
  return { http: process.getBuiltinModule('node:http'), https: process.getBuiltinModule('node:https') };
}
