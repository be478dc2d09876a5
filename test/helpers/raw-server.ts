// A loopback server that writes HTTP responses byte by byte, for the faults a real HTTP server
// library refuses to produce: duplicate or conflicting Content-Length, malformed header lines,
// bare-LF line ends, huge headers, gzip bodies nobody asked for, an HTML page on the Nth request,
// headers that never arrive. Each reply is the status line and header lines exactly as given,
// then the body, then whatever ending the test wants (keep-alive, FIN, RST or a stall).
import type { AddressInfo, Server, Socket } from 'node:net';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CoverageCounter } from './byte-intervals.js';
import { ifRangeMatches, parseRange } from './http-range.js';

export interface RawRequest {
  method: string;
  /** The request target as sent (path and query). */
  target: string;
  /** The path without the query string. */
  path: string;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  range?: string;
  ifRange?: string;
  /** 1 for the first request for this path, 2 for the next, ... */
  n: number;
  /** Which TCP connection carried it (1, 2, ...). */
  connection: number;
}

export interface RawRecord extends RawRequest {
  /** The status code of the reply's status line; 0 when no reply was sent (a hang or a reset). */
  status: number;
  /** Body bytes the socket accepted. */
  bodyBytesSent: number;
}

export interface RawReply {
  /** The status line, then one string per header line, written verbatim. */
  head: string[];
  /** Line ending after each head line and after the head; default CRLF. */
  eol?: string;
  body?: Buffer | string;
  /**
   * The file offset of the body's first byte when the body is bytes of the served file (a 200 or
   * a 206): those bytes count towards `bytesServedTwice`. Leave unset for pages and chunk framing.
   */
  fileOffset?: number;
  /** Sends only the first `cutAt` body bytes, then ends as `after` says. */
  cutAt?: number;
  /** Sends the body in pieces of `bytes`, waiting `everyMs` before each piece after the first. */
  pace?: { bytes: number; everyMs: number };
  /**
   * After the body: 'keep-alive' waits for the next request on the connection, 'fin' closes it,
   * 'rst' resets it, 'stall' keeps it open and silent until the client (or `close`) ends it.
   * Default: 'keep-alive' when the head frames the body (Content-Length or chunked) and does not
   * say `Connection: close`, 'fin' otherwise.
   */
  after?: 'keep-alive' | 'fin' | 'rst' | 'stall';
}

/** 'hang': accept the request and never answer; 'rst': reset the connection without a reply. */
export type RawAnswer = RawReply | 'hang' | 'rst';
export type RawHandler = (req: RawRequest) => RawAnswer | Promise<RawAnswer>;

export interface RawServer {
  readonly port: number;
  url(path: string, host?: string): string;
  /** Answers requests for `path` (exact path, no query); other paths get 404. */
  route(path: string, handler: RawHandler): void;
  readonly requests: readonly RawRecord[];
  requestsFor(path: string): RawRecord[];
  /** File bytes of `path` that went out in more than one response body. */
  bytesServedTwice(path: string): number;
  close(): Promise<void>;
}

/** The reason phrases this helper writes; any code works, unknown ones get "Status". */
const REASONS: Record<number, string> = {
  200: 'OK',
  206: 'Partial Content',
  301: 'Moved Permanently',
  302: 'Found',
  404: 'Not Found',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusLine(code: number): string {
  return `HTTP/1.1 ${code} ${REASONS[code] ?? 'Status'}`;
}

export interface ServedFile {
  body: Buffer;
  etag?: string | null;
  lastModified?: string | null;
  contentType?: string;
  /** Extra header lines, verbatim, added to every reply for the file. */
  extraHeaders?: string[];
}

/**
 * What a correct server sends for `file`: 200 with the whole body, or 206 for a satisfiable
 * single range whose If-Range (if any) matches, or 416. Tests then bend the result: drop or add
 * header lines, cut the body, change the ending.
 */
export function serveFile(file: ServedFile, req: RawRequest): RawReply {
  const size = file.body.length;
  const etag = file.etag === undefined ? '"raw-v1"' : file.etag;
  const lastModified = file.lastModified === undefined ? 'Mon, 01 Jan 2024 00:00:00 GMT' : file.lastModified;
  const common = ['Accept-Ranges: bytes', `Content-Type: ${file.contentType ?? 'application/octet-stream'}`];
  if (etag !== null) common.push(`ETag: ${etag}`);
  if (lastModified !== null) common.push(`Last-Modified: ${lastModified}`);
  common.push(...(file.extraHeaders ?? []));
  let range = parseRange(req.range, size);
  if (range.kind !== 'full' && !ifRangeMatches(req.ifRange, etag, lastModified)) range = { kind: 'full' };
  if (range.kind === 'unsatisfiable') {
    return { head: [statusLine(416), ...common, `Content-Range: bytes */${size}`, 'Content-Length: 0'] };
  }
  if (range.kind === 'partial') {
    const body = file.body.subarray(range.start, range.end + 1);
    return {
      head: [statusLine(206), ...common, `Content-Range: bytes ${range.start}-${range.end}/${size}`, `Content-Length: ${body.length}`],
      body,
      fileOffset: range.start,
    };
  }
  return { head: [statusLine(200), ...common, `Content-Length: ${size}`], body: file.body, fileOffset: 0 };
}

/** An empty reply with `code` and any extra header lines. */
export function emptyReply(code: number, headers: string[] = []): RawReply {
  return { head: [statusLine(code), ...headers, 'Content-Length: 0'] };
}

/** Removes head lines whose header name is `name` (case-insensitive). */
export function withoutHeader(head: string[], name: string): string[] {
  const lower = name.toLowerCase();
  return head.filter((line, i) => i === 0 || line.split(':')[0]!.trim().toLowerCase() !== lower);
}

/** `body` in chunked framing; `terminate: false` leaves off the last-chunk marker. */
export function chunked(body: Buffer, chunkSize = 64 * 1024, terminate = true): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += chunkSize) {
    const piece = body.subarray(at, at + chunkSize);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
  }
  if (terminate) parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

const MAX_REQUEST_HEAD = 64 * 1024;

export async function startRawServer(): Promise<RawServer> {
  const routes = new Map<string, RawHandler>();
  const counts = new Map<string, number>();
  const coverage = new Map<string, CoverageCounter>();
  const records: RawRecord[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  const server: Server = net.createServer((socket) => {
    const id = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that resets mid-reply is part of the game, not a failure of the helper.
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let busy = false;

    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      try {
        for (;;) {
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) {
            if (buffered.length > MAX_REQUEST_HEAD) socket.destroy();
            return;
          }
          const head = buffered.subarray(0, end).toString('latin1');
          buffered = buffered.subarray(end + 4);
          const keepGoing = await answer(socket, id, head);
          if (!keepGoing) return;
        }
      } finally {
        busy = false;
      }
    };
    socket.on('data', (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      pump().catch((err: unknown) => {
        console.error('raw-server handler error', err);
        socket.destroy();
      });
    });
  });

  /** Answers one request; false when the connection is done (closed, reset or stalled). */
  async function answer(socket: Socket, connection: number, head: string): Promise<boolean> {
    const [requestLine = '', ...lines] = head.split('\r\n');
    const [method = '', target = '/'] = requestLine.split(' ');
    const path = new URL(target, 'http://x').pathname;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    const req: RawRequest = { method, target, path, headers, n, connection };
    if (headers.range !== undefined) req.range = headers.range;
    if (headers['if-range'] !== undefined) req.ifRange = headers['if-range'];
    const record: RawRecord = { ...req, status: 0, bodyBytesSent: 0 };
    records.push(record);

    const handler = routes.get(path);
    const reply: RawAnswer = handler ? await handler(req) : emptyReply(404);
    if (socket.destroyed) return false;
    if (reply === 'hang') return false;
    if (reply === 'rst') {
      socket.resetAndDestroy();
      return false;
    }
    record.status = Number(/^HTTP\/\S+\s+(\d{3})/.exec(reply.head[0] ?? '')?.[1] ?? 0);
    const eol = reply.eol ?? '\r\n';
    const headBytes = Buffer.from(reply.head.join(eol) + eol + eol, 'latin1');
    const full = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, 'latin1');
    const body = reply.cutAt !== undefined ? full.subarray(0, reply.cutAt) : full;
    const counter = reply.fileOffset !== undefined ? coverageOf(path) : null;

    if (!(await write(socket, headBytes))) return false;
    const piece = reply.pace?.bytes ?? (body.length || 1);
    for (let at = 0; at < body.length; at += piece) {
      if (at > 0 && reply.pace) await sleep(reply.pace.everyMs);
      if (socket.destroyed) return false;
      const chunk = body.subarray(at, at + piece);
      if (!(await write(socket, chunk))) return false;
      record.bodyBytesSent += chunk.length;
      if (counter) counter.add(reply.fileOffset! + at, reply.fileOffset! + at + chunk.length);
    }

    const framed = reply.head.some((l) => /^(content-length|transfer-encoding)\s*:/i.test(l));
    const closeAsked = reply.head.some((l) => /^connection\s*:\s*close/i.test(l));
    const after = reply.after ?? (framed && !closeAsked && reply.cutAt === undefined ? 'keep-alive' : 'fin');
    switch (after) {
      case 'keep-alive':
        return true;
      case 'fin':
        socket.end();
        return false;
      case 'rst':
        // Let the bytes written be acknowledged first, or the reset may overtake them.
        await sleep(20);
        if (!socket.destroyed) socket.resetAndDestroy();
        return false;
      case 'stall':
        return false;
    }
  }

  function coverageOf(path: string): CoverageCounter {
    let c = coverage.get(path);
    if (!c) coverage.set(path, (c = new CoverageCounter()));
    return c;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const norm = (p: string): string => (p.startsWith('/') ? p : `/${p}`);

  return {
    port,
    url: (path, host = '127.0.0.1') => `http://${host}:${port}${norm(path)}`,
    route(path, handler) {
      routes.set(norm(path), handler);
    },
    get requests() {
      return records;
    },
    requestsFor: (path) => records.filter((r) => r.path === norm(path)),
    bytesServedTwice: (path) => coverage.get(norm(path))?.twice.size ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Resolves true once the socket took `data`, false if the connection died first. */
function write(socket: Socket, data: Buffer): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(false);
  if (data.length === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = (): void => resolve(false);
    socket.once('close', onClose);
    socket.write(data, (err) => {
      socket.off('close', onClose);
      resolve(!err);
    });
  });
}
