// The data path for the common case: a plain-http 206 with a Content-Length, on a kept-alive
// socket that reads straight into reusable 256 KiB slabs which are then written to the file
// as they are. No HTTP parser touches the body, no buffer is allocated per read, nothing is
// copied: at several hundred MiB/s that is the difference between keeping up with curl and not
// (got plus Node's parser cost about twice the CPU per GiB here).
//
// Anything else — https, a redirect, an error status, chunked or encoded bodies, duplicate or
// malformed headers — is refused with NotFastError before a byte is used, and the caller asks
// again through got, which handles every case the fault matrix throws at it.
import net from 'node:net';
import { AbortedError, FerryError, NetworkError, toFerryError } from './errors.js';
import type { LiveSegment } from './body-pump.js';
import type { PartFile } from './part-file.js';
import { EXPIRED_LINK_STATUSES } from './segment-requests.js';

const SLAB = 256 * 1024;
/** Writes in flight per request before the socket stops reading (the disk sets the pace). */
const MAX_WRITES = 2;
const MAX_HEADER_BYTES = 32 * 1024;
const MAX_IDLE_PER_ORIGIN = 32;
/** Free slabs kept for reuse across requests. */
const MAX_FREE_SLABS = 64;

/** The response is not the simple case; nothing was written. Ask again through got. */
export class NotFastError extends Error {}

export interface FastRangeRequest {
  url: URL;
  /** First byte to ask for: the segment's start plus what it has. */
  start: number;
  /** Inclusive end to ask for. */
  end: number;
  headers: Record<string, string>;
  segment: LiveSegment;
  part: PartFile;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  signal: AbortSignal;
  /** The URL is where the download's first URL redirected to (such links may expire). */
  redirected: boolean;
  /** Checks status and headers (lower-case names) before any body byte is used; throws the typed error. */
  check(status: number, headers: Record<string, string>): void;
  onWritten(buffers: readonly Buffer[], position: number, bytes: number): void;
}

/** One request's handling of the reads its socket delivers. */
interface Reader {
  buffer(): Buffer;
  read(n: number): boolean | void;
  closed(error: unknown): void;
}

/** A socket and what reads into it. */
interface Conn {
  socket: net.Socket;
  reader: Reader | null;
  origin: string;
  /**
   * The slab the socket reads into and how much of it is used. They belong to the socket, not
   * to a request: Node fixes the buffer for the next read right after each read, so the slab
   * a finished request left as current receives the next response's first bytes.
   */
  slab: Buffer;
  used: number;
}

export interface FastRangeClient {
  /** Resolves when the segment is full or the body ended; the caller checks which. */
  fetch(request: FastRangeRequest): Promise<void>;
  destroy(): void;
}

export function createFastRangeClient(): FastRangeClient {
  const idle = new Map<string, Conn[]>();
  const freeSlabs: Buffer[] = [];
  const all = new Set<Conn>();
  let destroyed = false;

  const takeSlab = () => freeSlabs.pop() ?? Buffer.allocUnsafeSlow(SLAB);
  const giveSlab = (b: Buffer) => {
    if (freeSlabs.length < MAX_FREE_SLABS) freeSlabs.push(b);
  };

  /** A kept-alive socket for this origin, or a new one; `reused` tells which. */
  function connect(url: URL, timeoutMs: number): { conn: Conn; reused: boolean } {
    const origin = `${url.hostname}:${url.port || 80}`;
    const list = idle.get(origin);
    while (list && list.length > 0) {
      const c = list.pop()!;
      if (!c.socket.destroyed) return { conn: c, reused: true };
    }
    // The read buffer is asked for while the socket is built: the state must exist first.
    const c = { reader: null, origin, slab: takeSlab(), used: 0 } as unknown as Conn;
    c.socket = net.connect({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 80),
      timeout: timeoutMs,
      onread: {
        buffer: () => c.reader?.buffer() ?? c.slab.subarray(c.used),
        callback: (n: number) => {
          // Bytes on a socket no request owns: the server broke the protocol; drop the socket.
          if (!c.reader) {
            c.socket.destroy();
            return false;
          }
          return c.reader.read(n) !== false;
        },
      },
    });
    const s = c.socket;
    s.setNoDelay(true);
    all.add(c);
    s.on('timeout', () => c.reader?.closed(new NetworkError('TIMEOUT', 'The server stopped sending data and the connection timed out.')));
    s.on('error', (error) => c.reader?.closed(error));
    s.on('close', () => {
      all.delete(c);
      giveSlab(c.slab);
      const l = idle.get(origin);
      if (l) idle.set(origin, l.filter((x) => x !== c));
      c.reader?.closed(new NetworkError('CONNECTION_RESET', 'The connection was closed before the range arrived.'));
    });
    return { conn: c, reused: false };
  }

  function release(c: Conn): void {
    c.reader = null;
    if (destroyed || c.socket.destroyed) return;
    const list = idle.get(c.origin) ?? [];
    if (list.length >= MAX_IDLE_PER_ORIGIN) {
      c.socket.destroy();
      return;
    }
    list.push(c);
    idle.set(c.origin, list);
    // Reading while idle is how a server's close is noticed before the socket is reused.
    c.socket.resume();
  }

  /** One request on one socket; StaleSocketError when a reused socket died before any answer. */
  function attempt(r: FastRangeRequest, conn: Conn, reused: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const seg = r.segment;
      /** Where the body's bytes start in the socket's slab (after the headers, in the first one). */
      let bodyFrom = -1;
      let headerDone = false;
      let received = 0;
      let bodyLeft = 0;
      let offset = r.start;
      let keepAlive = true;
      let paused = false;
      let finished = false;
      let broken = false;
      let failure: unknown = null;
      let settled = false;
      /** Slabs with body bytes, waiting for their write. */
      const queue: { slab: Buffer; from: number; to: number; position: number }[] = [];
      /** Writes in flight, in file order; bytes count as written in that order only. */
      const inflight: { slab: Buffer; from: number; to: number; position: number; done: boolean; ok: boolean }[] = [];

      const settle = () => {
        if (settled || inflight.length > 0 || queue.length > 0) return;
        settled = true;
        r.signal.removeEventListener('abort', onAbort);
        clearTimeout(answerTimer);
        seg.claimed = seg.written;
        if (conn.reader === reader) {
          if (!failure && headerDone && bodyLeft === 0 && keepAlive) release(conn);
          else {
            conn.reader = null;
            conn.socket.destroy();
          }
        }
        if (!failure) resolve();
        else if (reused && received === 0 && !(failure instanceof FerryError && !(failure instanceof NetworkError))) {
          // A kept-alive socket the server had closed: not the server's answer, ask afresh.
          reject(new StaleSocketError());
        } else reject(failure instanceof NotFastError ? failure : toFerryError(failure));
      };

      const drain = () => {
        while (inflight.length > 0 && inflight[0]!.done) {
          const e = inflight.shift()!;
          if (e.ok && !broken) {
            seg.written += e.to - e.from;
            r.onWritten([e.slab.subarray(e.from, e.to)], e.position, e.to - e.from);
          } else broken = true;
          giveSlab(e.slab);
        }
      };

      const pump = () => {
        while (queue.length > 0 && inflight.length < MAX_WRITES && !broken) {
          const w = queue.shift()!;
          const entry = { ...w, done: false, ok: false };
          inflight.push(entry);
          r.part.write([w.slab.subarray(w.from, w.to)], w.position).then(
            () => {
              entry.done = true;
              entry.ok = true;
              drain();
              if (paused && !finished) {
                paused = false;
                conn.socket.resume();
              }
              pump();
              if (finished) settle();
            },
            (error: unknown) => {
              entry.done = true;
              // The disk failed (full?): that is the error; what is queued cannot be written.
              if (!failure || failure instanceof NetworkError) failure = error;
              for (const q of queue.splice(0)) giveSlab(q.slab);
              drain();
              finish();
              settle();
            },
          );
        }
        if (broken) for (const q of queue.splice(0)) giveSlab(q.slab);
      };

      /** Queues the body bytes in the socket's slab for writing and gives the socket a fresh slab. */
      const cutSlab = () => {
        if (bodyFrom >= 0 && conn.used > bodyFrom) {
          queue.push({ slab: conn.slab, from: bodyFrom, to: conn.used, position: offset - (conn.used - bodyFrom) });
          conn.slab = takeSlab();
        }
        conn.used = 0;
        bodyFrom = headerDone ? 0 : -1;
        pump();
      };

      const finish = (error?: unknown) => {
        if (error && !failure) failure = error;
        if (finished) return;
        finished = true;
        if (!(failure instanceof NotFastError)) cutSlab();
        settle();
      };

      const onHeaders = (text: string): void => {
        const lines = text.split('\r\n');
        const match = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0] ?? '');
        if (!match) throw new NotFastError('no status line');
        const status = Number(match[1]);
        const headers: Record<string, string> = {};
        let repeated = false;
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon <= 0 || /\s/.test(line.slice(0, colon))) throw new NotFastError('malformed header');
          const name = line.slice(0, colon).toLowerCase();
          if (name in headers) repeated = true;
          else headers[name] = line.slice(colon + 1).trim();
        }
        // A 200 (ranges ignored, or the file changed), a 416 or an error status is the answer
        // whatever the body: its typed error (Retry-After included) goes back as got's would.
        // A redirect, or a link that may have expired, is got's to follow.
        const answer = status === 200 || status >= 400;
        if (answer && !(r.redirected && EXPIRED_LINK_STATUSES.includes(status))) {
          r.check(status, headers);
          throw new NotFastError(`status ${status}`);
        }
        if (status !== 206) throw new NotFastError(`status ${status}`);
        // A repeated header is one of got's cases (conflicting lengths, two validators).
        if (repeated) throw new NotFastError('repeated header');
        if (headers['transfer-encoding'] !== undefined) throw new NotFastError('transfer-encoding');
        const length = headers['content-length'];
        if (length === undefined || !/^\d+$/.test(length)) throw new NotFastError('no content-length');
        if (/\bclose\b/i.test(headers.connection ?? '')) keepAlive = false;
        r.check(206, headers);
        bodyLeft = Number(length);
      };

      /** Accounts for body bytes `slab[from, to)`: stops at the segment's end or the body's. */
      const take = (from: number, to: number): boolean => {
        let n = to - from;
        if (n > bodyLeft) {
          // More than the Content-Length: junk after the body. Keep the body, not the conn.socket.
          keepAlive = false;
          n = bodyLeft;
        }
        const room = seg.end === null ? Infinity : seg.end + 1 - (seg.start + seg.claimed);
        let full = false;
        if (n >= room) {
          // The segment is full (or its back half was stolen meanwhile): stop here.
          if (bodyLeft > room) keepAlive = false;
          n = Math.max(0, room);
          full = true;
        }
        conn.used = from + n;
        bodyLeft -= n;
        offset += n;
        seg.claimed += n;
        if (full || bodyLeft === 0) {
          finish();
          return false;
        }
        if (conn.used >= SLAB) {
          cutSlab();
          if (inflight.length >= MAX_WRITES) {
            paused = true;
            return false;
          }
        }
        return true;
      };

      const reader: Reader = {
        buffer: () => {
          if (conn.used >= SLAB) cutSlab();
          return conn.slab.subarray(conn.used);
        },
        read: (n) => {
          if (finished) return false;
          received += n;
          const at = conn.used;
          conn.used += n;
          if (headerDone) return take(at, conn.used);
          const end = conn.slab.subarray(0, conn.used).indexOf('\r\n\r\n');
          if (end < 0) {
            if (conn.used >= MAX_HEADER_BYTES) {
              finish(new NotFastError('headers too large'));
              return false;
            }
            return true;
          }
          try {
            onHeaders(conn.slab.toString('latin1', 0, end));
          } catch (error) {
            finish(error);
            return false;
          }
          headerDone = true;
          bodyFrom = end + 4;
          return take(bodyFrom, conn.used);
        },
        closed: (error) => finish(!headerDone || bodyLeft > 0 ? error : null),
      };

      const onAbort = () => {
        finish(new AbortedError());
        if (conn.reader === reader) {
          conn.reader = null;
          conn.socket.destroy();
        }
      };
      r.signal.addEventListener('abort', onAbort, { once: true });
      const answerTimer = setTimeout(() => {
        if (!headerDone) reader.closed(new NetworkError('TIMEOUT', 'The server did not answer in time.'));
      }, r.connectTimeoutMs + r.idleTimeoutMs);
      conn.reader = reader;
      conn.socket.setTimeout(r.idleTimeoutMs);
      const head =
        `GET ${r.url.pathname}${r.url.search} HTTP/1.1\r\nHost: ${r.url.host}\r\n` +
        `Range: bytes=${r.start}-${r.end}\r\n` +
        Object.entries(r.headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n';
      conn.socket.write(head, 'latin1');
      if (conn.socket.isPaused()) conn.socket.resume();
    });
  }

  return {
    async fetch(r) {
      for (;;) {
        if (destroyed || r.signal.aborted) throw new AbortedError();
        const { conn, reused } = connect(r.url, r.connectTimeoutMs);
        try {
          return await attempt(r, conn, reused);
        } catch (error) {
          if (!(error instanceof StaleSocketError)) throw error;
        }
      }
    },
    destroy() {
      destroyed = true;
      for (const c of all) c.socket.destroy();
      all.clear();
      idle.clear();
    },
  };
}

class StaleSocketError extends Error {}

/** True for the URLs the fast path can serve: plain http without credentials. */
export function fastPathServes(url: URL): boolean {
  return url.protocol === 'http:' && !url.username && !url.password;
}
