// The vocabulary of the fault server: what a served file is, the ways it can misbehave, and what
// it records. Each fault mirrors a real server or proxy bug a download manager meets in the wild.
import type { IncomingHttpHeaders } from 'node:http';

export interface Faults {
  /** Answers every GET with 200 and the full body, as servers without range support do. */
  ignoreRange?: boolean;
  /** Serves 206 even when If-Range does not match: the server splices two file versions. */
  ignoreIfRange?: boolean;
  /**
   * Closes the connection after `bytes` body bytes of a response, for the first `times` responses
   * it cuts (default: every response). 'fin' ends cleanly (the client sees a short body), 'rst'
   * resets (ECONNRESET); bytes still in the socket buffer may be lost with 'rst'.
   */
  dropAfter?: { bytes: number; times?: number; mode?: 'fin' | 'rst' };
  /** Stops sending after `bytes` body bytes but keeps the socket open: only a read timeout helps. */
  stallAfter?: { bytes: number; times?: number };
  /** The first `times` requests for the file get this status (with Retry-After when given). */
  status?: { code: number; times: number; retryAfter?: string };
  /** Bytes per second, per response (so per connection), paced in small ticks. */
  throttle?: number;
  /**
   * Bytes per second for all of the file's responses together, however many connections ask: a
   * saturated link or a busy server, where more connections add nothing.
   */
  sharedThrottle?: number;
  /**
   * Range requests that cover this byte are answered with `status`, every time: a damaged disk or
   * a broken shard behind a CDN. (A whole-file GET is served.)
   */
  brokenByte?: { at: number; status: number };
  /** Content-Range reports an exclusive end (`bytes 0-100/1000` for 100 bytes). */
  contentRangeOffByOne?: boolean;
  /** Content-Range without the unit (`0-99/1000`). */
  contentRangeNoUnit?: boolean;
  /**
   * A 206 whose body (and Content-Length) disagree with its Content-Range: 'longer' appends up to
   * 1 KiB of the following file bytes (zero-padded past the end), 'shorter' sends only the first half.
   */
  rangeBodyLength?: 'longer' | 'shorter';
  /** No Content-Length, `Connection: close`: the body ends when the connection does. */
  noContentLength?: boolean;
  /** Transfer-Encoding: chunked, no Content-Length. */
  chunked?: boolean;
  /**
   * After `requests` requests for this path the file is replaced by `body`, with a new ETag (derived
   * from content unless given; null = none) and a later Last-Modified.
   */
  changeAfterRequests?: { requests: number; body: Buffer; etag?: string | null };
}

export interface FileSpec {
  body: Buffer;
  /** Default: a strong ETag derived from the content hash. null: no ETag header. */
  etag?: string | null;
  /** Default: a fixed date (distinct per version). null: no Last-Modified header. */
  lastModified?: string | null;
  contentType?: string;
  contentDisposition?: string;
  /** More response headers, sent as given (Repr-Digest, Content-MD5, ...). */
  headers?: Record<string, string>;
  faults?: Faults;
}

export interface RequestRecord {
  method: string;
  /** The path without the query string. */
  path: string;
  range?: string;
  ifRange?: string;
  status: number;
  /** File bytes the socket accepted for this response; grows while the body is being sent. */
  bodyBytesSent: number;
  headers: IncomingHttpHeaders;
  /** Which TCP connection served it (1, 2, ...): keep-alive reuse shows as repeated ids. */
  connection: number;
  /** When the request arrived, and when its response ended (sent, cut or abandoned): performance.now(). */
  receivedAt: number;
  endedAt: number | null;
}
