// A loopback HTTP file server that is correct by default and misbehaves on request (see Faults).
// Engine tests drive real connections against it and then read its statistics: which ranges were
// asked for, what each response sent, and whether any byte crossed the wire twice.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SharedPacer, sendBody } from './body-sender.js';
import { CoverageCounter } from './byte-intervals.js';
import type { Faults, FileSpec, RequestRecord } from './fault-types.js';
import { ifRangeMatches, parseRange } from './http-range.js';

export type { Faults, FileSpec, RequestRecord } from './fault-types.js';

export interface FaultServer {
  readonly port: number;
  /** `http://127.0.0.1:PORT/path`; pass `host` ('localhost') to reach the same server under another name. */
  url(path: string, host?: string): string;
  setFile(path: string, spec: FileSpec): void;
  /** Replaces the faults of a served file (and restarts their counters): "the server recovers". */
  setFaults(path: string, faults: Faults | undefined): void;
  /** Later requests for the path get 404. */
  removeFile(path: string): void;
  /** Every request so far, in arrival order; records of bodies still being sent keep growing. */
  readonly requests: readonly RequestRecord[];
  /** Connections accepted so far (over TLS: those whose handshake completed). */
  readonly connectionCount: number;
  /** TCP connections accepted so far, TLS handshakes that failed included. */
  readonly tcpConnectionCount: number;
  /** TLS connections that resumed an earlier session (an abbreviated handshake). */
  readonly resumedSessionCount: number;
  /** File bytes of `path` that went out in more than one response body. */
  bytesServedTwice(path: string): number;
  /** Body bytes sent for `path`, over all responses. */
  totalBodyBytes(path: string): number;
  /** Forgets requests and byte counts (not files or fault counters). */
  resetStats(): void;
  /** Stops listening and destroys every open socket, stalled ones included. */
  close(): Promise<void>;
}

export interface FaultServerOptions {
  files?: Record<string, FileSpec>;
  /** Node's default is 5 s; tests of idle keep-alive sockets may want it shorter. */
  keepAliveTimeoutMs?: number;
  /** Serve https with this certificate (see tls-fixture.ts) instead of plain http. */
  tls?: { key: Buffer; cert: Buffer };
}

interface FileVersion {
  body: Buffer;
  etag: string | null;
  lastModified: string | null;
}

interface ServedFile {
  current: FileVersion;
  spec: FileSpec;
  faults: Faults;
  requests: number;
  statusesSent: number;
  drops: number;
  stalls: number;
  changed: boolean;
  /** The rate all of the file's responses share (faults.sharedThrottle). */
  pacer: SharedPacer | null;
}

// Each version of each file gets its own Last-Modified, a minute after the previous one, so a
// changed file never shares a date with its predecessor even when both are set in the same second.
let versionStamp = 0;
function nextLastModified(): string {
  return new Date(Date.UTC(2024, 0, 1) + versionStamp++ * 60_000).toUTCString();
}

function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 24)}"`;
}

function makeVersion(body: Buffer, etag: string | null | undefined, lastModified: string | null | undefined): FileVersion {
  return {
    body,
    etag: etag === undefined ? strongEtag(body) : etag,
    lastModified: lastModified === undefined ? nextLastModified() : lastModified,
  };
}

function normalizePath(p: string): string {
  return p.startsWith('/') ? p : `/${p}`;
}

export async function startFaultServer(opts: FaultServerOptions = {}): Promise<FaultServer> {
  const files = new Map<string, ServedFile>();
  const coverage = new Map<string, CoverageCounter>();
  let records: RequestRecord[] = [];
  const sockets = new Set<Socket>();
  const socketIds = new WeakMap<Socket, number>();
  let connectionCount = 0;
  let tcpConnectionCount = 0;
  let resumedSessionCount = 0;

  const coverageOf = (path: string): CoverageCounter => {
    let c = coverage.get(path);
    if (!c) coverage.set(path, (c = new CoverageCounter()));
    return c;
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the helper must fail loudly rather than leave the client waiting forever.
      console.error('fault-server handler error', err);
      res.destroy();
    });
  };
  const server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onRequest) : http.createServer(onRequest);
  if (opts.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = opts.keepAliveTimeoutMs;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  // Over TLS a request's socket is the TLS socket, made once the handshake is done; the TCP one
  // (also for handshakes the client refused) is tracked so close() ends it.
  server.on('connection', (socket: Socket) => {
    tcpConnectionCount++;
    track(socket);
    if (!opts.tls) socketIds.set(socket, ++connectionCount);
  });
  if (opts.tls) {
    server.on('secureConnection', (socket: TLSSocket) => {
      if (socket.isSessionReused()) resumedSessionCount++;
      track(socket);
      socketIds.set(socket, ++connectionCount);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const record: RequestRecord = {
      method: req.method ?? 'GET',
      path,
      status: 0,
      bodyBytesSent: 0,
      headers: req.headers,
      connection: socketIds.get(req.socket) ?? 0,
      receivedAt: performance.now(),
      endedAt: null,
    };
    res.once('close', () => (record.endedAt = performance.now()));
    if (typeof req.headers.range === 'string') record.range = req.headers.range;
    const ifRange = req.headers['if-range'];
    if (typeof ifRange === 'string') record.ifRange = ifRange;
    records.push(record);

    const file = files.get(path);
    if (!file) return void empty(res, record, 404);
    file.requests++;
    const { faults } = file;
    const change = faults.changeAfterRequests;
    if (change && !file.changed && file.requests > change.requests) {
      file.changed = true;
      file.current = makeVersion(change.body, change.etag, undefined);
    }
    if (faults.status && file.statusesSent < faults.status.times) {
      file.statusesSent++;
      if (faults.status.retryAfter !== undefined) res.setHeader('Retry-After', faults.status.retryAfter);
      return void empty(res, record, faults.status.code);
    }
    if (record.method !== 'GET' && record.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return void empty(res, record, 405);
    }

    const { body, etag, lastModified } = file.current;
    const size = body.length;
    // Advertised even with ignoreRange: servers that claim ranges and then ignore them are the
    // case a downloader must verify with a 206, not trust from a header.
    res.setHeader('Accept-Ranges', 'bytes');
    if (etag !== null) res.setHeader('ETag', etag);
    if (lastModified !== null) res.setHeader('Last-Modified', lastModified);
    res.setHeader('Content-Type', file.spec.contentType ?? 'application/octet-stream');
    if (file.spec.contentDisposition !== undefined) res.setHeader('Content-Disposition', file.spec.contentDisposition);
    for (const [name, value] of Object.entries(file.spec.headers ?? {})) res.setHeader(name, value);

    let range = faults.ignoreRange ? ({ kind: 'full' } as const) : parseRange(record.range, size);
    if (range.kind !== 'full' && !faults.ignoreIfRange && !ifRangeMatches(record.ifRange, etag, lastModified)) {
      range = { kind: 'full' };
    }
    if (range.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${size}`);
      return void empty(res, record, 416);
    }
    const broken = faults.brokenByte;
    if (broken && range.kind === 'partial' && range.start <= broken.at && broken.at <= range.end) {
      return void empty(res, record, broken.status);
    }

    let data = body;
    let offset = 0;
    let status = 200;
    if (range.kind === 'partial') {
      status = 206;
      offset = range.start;
      const reportedEnd = faults.contentRangeOffByOne ? range.end + 1 : range.end;
      const unit = faults.contentRangeNoUnit ? '' : 'bytes ';
      res.setHeader('Content-Range', `${unit}${range.start}-${reportedEnd}/${size}`);
      data = body.subarray(range.start, range.end + 1);
      if (faults.rangeBodyLength === 'shorter') {
        data = data.subarray(0, Math.floor(data.length / 2));
      } else if (faults.rangeBodyLength === 'longer') {
        // The bytes after the range, then zeros once past the end of the file.
        const extra = Buffer.alloc(1024);
        body.copy(extra, 0, range.end + 1, range.end + 1 + extra.length);
        data = Buffer.concat([data, extra]);
      }
    }
    if (faults.noContentLength) {
      // Without this Node would pick chunked encoding; a close-delimited body is the old-server case.
      res.useChunkedEncodingByDefault = false;
      res.setHeader('Connection', 'close');
    } else if (faults.chunked) {
      res.setHeader('Transfer-Encoding', 'chunked');
    } else {
      res.setHeader('Content-Length', data.length);
    }
    record.status = status;
    res.statusCode = status;
    if (record.method === 'HEAD') return void res.end();

    const drop = faults.dropAfter;
    const dropNow = drop && drop.bytes < data.length && file.drops < (drop.times ?? Infinity);
    if (dropNow) file.drops++;
    const stall = faults.stallAfter;
    const stallNow = stall && stall.bytes < data.length && file.stalls < (stall.times ?? Infinity);
    if (stallNow) file.stalls++;
    const counter = coverageOf(path);
    await sendBody(res, {
      data,
      dropAt: dropNow ? { bytes: drop.bytes, mode: drop.mode ?? 'fin' } : undefined,
      stallAt: stallNow ? stall.bytes : undefined,
      throttle: faults.throttle,
      shared: faults.sharedThrottle ? (file.pacer ??= new SharedPacer(faults.sharedThrottle)) : undefined,
      onSent: (at, length) => {
        record.bodyBytesSent += length;
        const start = offset + at;
        counter.add(Math.min(start, size), Math.min(start + length, size));
      },
    });
  }

  function empty(res: ServerResponse, record: RequestRecord, status: number): void {
    record.status = status;
    res.statusCode = status;
    res.setHeader('Content-Length', 0);
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const api: FaultServer = {
    port,
    url: (path, host = '127.0.0.1') => `${opts.tls ? 'https' : 'http'}://${host}:${port}${normalizePath(path)}`,
    setFile(path, spec) {
      files.set(normalizePath(path), {
        current: makeVersion(spec.body, spec.etag, spec.lastModified),
        spec,
        faults: spec.faults ?? {},
        requests: 0,
        statusesSent: 0,
        drops: 0,
        stalls: 0,
        changed: false,
        pacer: null,
      });
    },
    setFaults(path, faults) {
      const file = files.get(normalizePath(path));
      if (!file) throw new Error(`no file at ${path}`);
      Object.assign(file, { faults: faults ?? {}, requests: 0, statusesSent: 0, drops: 0, stalls: 0, pacer: null });
    },
    removeFile(path) {
      files.delete(normalizePath(path));
    },
    get requests() {
      return records;
    },
    get connectionCount() {
      return connectionCount;
    },
    get tcpConnectionCount() {
      return tcpConnectionCount;
    },
    get resumedSessionCount() {
      return resumedSessionCount;
    },
    bytesServedTwice: (path) => coverage.get(normalizePath(path))?.twice.size ?? 0,
    totalBodyBytes: (path) =>
      records.filter((r) => r.path === normalizePath(path)).reduce((sum, r) => sum + r.bodyBytesSent, 0),
    resetStats() {
      records = [];
      coverage.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
  for (const [path, spec] of Object.entries(opts.files ?? {})) api.setFile(path, spec);
  return api;
}
