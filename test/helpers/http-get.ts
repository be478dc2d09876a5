// A minimal HTTP client for checking what a test server really sent. Unlike fetch it never throws
// away a partial body: a cut or stalled response resolves with the bytes that arrived and why it ended.
import http from 'node:http';
import type { Agent, IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body ended as its framing said it would (Content-Length reached, last chunk, or close). */
  complete: boolean;
  /** 'timeout', or the socket error code (ECONNRESET, ...), when the body did not complete. */
  error?: string;
  /** Milliseconds from sending the request to the end of the body. */
  elapsedMs: number;
}

export interface GetOptions {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  agent?: Agent;
  /** Give up after this long without data (the stall case); default 10 s. */
  idleTimeoutMs?: number;
}

export function httpGet(url: string, opts: GetOptions = {}): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: opts.method ?? 'GET',
      headers: opts.headers,
      // No agent means a fresh connection per request, so one test's socket never leaks into the next.
      agent: opts.agent ?? false,
    });
    req.setTimeout(opts.idleTimeoutMs ?? 10_000, () => req.destroy(Object.assign(new Error('idle'), { code: 'timeout' })));
    // Before a response, an error (refused, reset during headers) rejects; after it, it ends the body.
    let onBodyError: ((err: NodeJS.ErrnoException) => void) | null = null;
    req.on('error', (err: NodeJS.ErrnoException) => (onBodyError ? onBodyError(err) : reject(err)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (complete: boolean, error?: string): void => {
        if (settled) return;
        settled = true;
        const out: RawResponse = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          complete,
          elapsedMs: performance.now() - started,
        };
        if (error !== undefined) out.error = error;
        resolve(out);
      };
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => finish(true));
      res.on('error', (err: NodeJS.ErrnoException) => finish(false, err.code ?? err.message));
      // 'aborted' framing errors surface as a close without 'end'.
      res.on('close', () => finish(res.complete, res.complete ? undefined : 'aborted'));
      onBodyError = (err) => finish(false, err.code ?? err.message);
    });
    req.end();
  });
}
