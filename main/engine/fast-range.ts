// The data path for the common case: an http or https 206 with a Content-Length, on a kept-alive
// socket that reads straight into reusable 256 KiB slabs which are then written to the file
// as they are. No HTTP parser touches the body, no buffer is allocated per read: at several
// hundred MiB/s that is the difference between keeping up with curl and not (got plus Node's
// parser cost about twice the CPU per GiB here). Over TLS, Node copies each decrypted record
// into the slab (tls.connect's `onread`); through got, a GiB over https took twice curl's time
// and 150 MiB at 16 connections.
//
// The probe (a whole-file GET) takes the same path when its answer is a simple 200 with a
// Content-Length: the body waits on the socket until the caller has a file for it. For a
// thousand small files that is most of the work per file, and got is never loaded at all.
//
// Anything else — a URL with credentials, chunked or encoded bodies, duplicate or malformed
// headers — is refused with NotFastError before a byte is used, and the caller asks again through
// got, which handles every case the fault matrix throws at it. Error statuses are answers: they
// come back as the same typed errors got's path gives.
import net from 'node:net';
import type tls from 'node:tls';
import { AbortedError, FerryError, NetworkError, toFerryError, tooManyRedirects } from './errors.js';
import type { LiveSegment } from './body-pump.js';
import type { PartFile } from './part-file.js';
import type { TrustedCertificates } from './http-client.js';
import { createInlineWritePolicy } from './inline-writes.js';
import { EXPIRED_LINK_STATUSES } from './segment-requests.js';

/**
 * Each connection reads into a 256 KiB slab and writes full slabs (fewer, larger writes cost the
 * least CPU per GiB). Writes in flight per request before the socket stops reading (the disk sets
 * the pace): two, and one past 8 busy connections, so that 16 connections hold about 8 MiB of
 * slabs. Measured here at 16 connections, against 128 KiB slabs with two writes in flight (the
 * same memory): a GiB in 1.95-2.14 s instead of 2.36-2.57 s, peak within the same 78-79 MiB.
 */
const SLAB = 256 * 1024;
const MAX_WRITES = 2;
const ONE_WRITE_ABOVE = 8;
/** Node's HTTP parser refuses larger headers (its default --max-http-header-size). */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_IDLE_PER_ORIGIN = 32;
/** Free slabs kept for reuse across requests. */
const MAX_FREE_SLABS = 32;
/** TLS sessions kept for resumption, one per origin: a resumed handshake skips the certificate work. */
const MAX_TLS_SESSIONS = 64;

/** The response is not the simple case; nothing was written. Ask again through got. */
export class NotFastError extends Error {}

/** A probe was redirected: the lean path follows http(s) hops itself. */
class RedirectError extends NotFastError {
  constructor(readonly location: string) {
    super('redirect');
  }
}

/** The server frames its answers in a way only got reads (chunked, no length, odd headers). */
class FramingError extends NotFastError {}

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
/** Origins remembered as answering whole files in a way only got reads. */
const MAX_GOT_ORIGINS = 256;
/** As many hops as got follows; past them got asks, and says why it stopped. */
const MAX_REDIRECTS = 10;

/** Where a response's body goes: the rest of one segment of a partial file. */
export interface BodySink {
  segment: LiveSegment;
  part: PartFile;
  onWritten(buffers: readonly Buffer[], position: number, bytes: number): void;
}

interface Exchange {
  url: URL;
  headers: Record<string, string>;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
  signal: AbortSignal;
  /** Checks status and headers (lower-case names) before any body byte is used; throws the typed error. */
  check(status: number, headers: Record<string, string>): void;
}

export interface FastRangeRequest extends Exchange, BodySink {
  /** First byte to ask for: the segment's start plus what it has. */
  start: number;
  /** Inclusive end to ask for. */
  end: number;
  /** The URL is where the download's first URL redirected to (such links may expire). */
  redirected: boolean;
}

/** A GET of the whole file; `check` sees every 200 and error status. */
export type FastProbeRequest = Exchange;

/** A simple 200 to a probe. Its body waits on the socket until `into` gives it a place. */
export interface FastAnswer {
  status: 200;
  headers: Record<string, string>;
  url: string;
  body: FastBody;
}

export interface FastBody {
  /** Writes the body from file position 0 into the sink; resolves as `fetch` does. */
  into(sink: BodySink): Promise<void>;
  destroy(): void;
}

/** One exchange as `attempt` runs it: a range into a sink, or a probe whose sink comes later. */
interface Job extends Exchange {
  range: { start: number; end: number } | null;
  redirected: boolean;
  sink: BodySink | null;
  /** Probe only: the headers of a simple 200, and the body waiting for its sink. */
  onAnswer?(headers: Record<string, string>, body: FastBody): void;
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

export interface FastRangeClientOptions {
  ca?: TrustedCertificates;
}

export interface FastRangeClient {
  /** Resolves when the segment is full or the body ended; the caller checks which. */
  fetch(request: FastRangeRequest): Promise<void>;
  /** Resolves at the answer's headers; NotFastError when got must ask instead. */
  probe(request: FastProbeRequest): Promise<FastAnswer>;
  destroy(): void;
}

export function createFastRangeClient(clientOptions: FastRangeClientOptions = {}): FastRangeClient {
  const idle = new Map<string, Conn[]>();
  const sessions = new Map<string, Buffer>();
  const gotOrigins = new Set<string>();
  const freeSlabs: Buffer[] = [];
  const all = new Set<Conn>();
  let destroyed = false;

  const takeSlab = () => freeSlabs.pop() ?? Buffer.allocUnsafeSlow(SLAB);
  const giveSlab = (b: Buffer) => {
    // Only slabs go back to the pool: a probe's late TLS records come in copies of their own size.
    if (b.length === SLAB && freeSlabs.length < MAX_FREE_SLABS) freeSlabs.push(b);
  };
  /**
   * Sockets with a request on them. Idle kept-alive ones do not count: a download that keeps to
   * fewer connections (connection-governor.ts) leaves the others open for later.
   */
  let busy = 0;
  const setReader = (c: Conn, reader: Reader | null) => {
    busy += (reader ? 1 : 0) - (c.reader ? 1 : 0);
    c.reader = reader;
  };
  const writesAllowed = () => (busy > ONE_WRITE_ABOVE ? 1 : MAX_WRITES);
  /** Whether a full slab is written on the main thread or in the thread pool (inline-writes.ts). */
  const inlineWrites = createInlineWritePolicy();

  /** A kept-alive socket for this origin, or a new one; `reused` tells which. */
  function connect(url: URL, timeoutMs: number): { conn: Conn; reused: boolean } {
    const origin = url.origin;
    const list = idle.get(origin);
    while (list && list.length > 0) {
      const c = list.pop()!;
      if (!c.socket.destroyed) return { conn: c, reused: true };
    }
    // The read buffer is asked for while the socket is built: the state must exist first.
    const c = { reader: null, origin, slab: takeSlab(), used: 0 } as unknown as Conn;
    const onread = {
      buffer: () => c.reader?.buffer() ?? c.slab.subarray(c.used),
      callback: (n: number) => {
        // Bytes on a socket no request owns: the server broke the protocol; drop the socket.
        if (!c.reader) {
          c.socket.destroy();
          return false;
        }
        return c.reader.read(n) !== false;
      },
    };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (url.protocol === 'https:') {
      // Node verifies the certificate and the name (SNI is sent for names, not addresses). No
      // ALPN, as Node's https client (got's path) sends none: the server then speaks HTTP/1.1.
      const options: tls.ConnectionOptions & { onread: typeof onread } = {
        host,
        port: Number(url.port || 443),
        timeout: timeoutMs,
        session: sessions.get(origin),
        onread,
      };
      if (clientOptions.ca !== undefined) options.ca = clientOptions.ca;
      const socket = tlsModule().connect(options);
      socket.on('session', (session: Buffer) => {
        if (!sessions.has(origin) && sessions.size >= MAX_TLS_SESSIONS) sessions.clear();
        sessions.set(origin, session);
      });
      c.socket = socket;
    } else {
      c.socket = net.connect({ host, port: Number(url.port || 80), timeout: timeoutMs, onread });
    }
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
    setReader(c, null);
    if (destroyed || c.socket.destroyed) return;
    const list = idle.get(c.origin) ?? [];
    if (list.length >= MAX_IDLE_PER_ORIGIN) {
      c.socket.destroy();
      return;
    }
    list.push(c);
    idle.set(c.origin, list);
    // Reading while idle is how a server's close is noticed before the socket is reused. After
    // the current read has returned: an answer can end inside a read (its last write done
    // inline), and that read's `false` stops the socket after it returns.
    queueMicrotask(() => c.socket.resume());
  }

  /** One request on one socket; StaleSocketError when a reused socket died before any answer. */
  function attempt(r: Job, conn: Conn, reused: boolean): Promise<void> {
    const done: Promise<void> = new Promise<void>((resolve, reject) => {
      /** Where the bytes go; a probe's body waits on the socket (paused) until it has one. */
      let sink = r.sink;
      /** Where the body's bytes start in the socket's slab (after the headers, in the first one). */
      let bodyFrom = -1;
      let headerDone = false;
      let received = 0;
      let bodyLeft = 0;
      let offset = r.range?.start ?? 0;
      let keepAlive = true;
      let paused = false;
      let finished = false;
      let broken = false;
      let failure: unknown = null;
      let settled = false;
      /** The socket closed while the body waited for its sink: applied once the sink has the bytes read. */
      let closedWhileWaiting: { error: unknown } | null = null;
      /** A probe's first body bytes, kept in their slab until the sink takes them. */
      let held: { slab: Buffer; from: number; to: number } | null = null;
      /**
       * A probe's body bytes that arrived after its socket paused: TLS still hands on the records
       * it had already decrypted. Copies, in order, after `held`.
       */
      const late: Buffer[] = [];
      /** Slabs with body bytes, waiting for their write. */
      const queue: { slab: Buffer; from: number; to: number; position: number }[] = [];
      /** Writes in flight, in file order; bytes count as written in that order only. */
      const inflight: { slab: Buffer; from: number; to: number; position: number; done: boolean; ok: boolean }[] = [];

      const settle = () => {
        if (settled || inflight.length > 0 || queue.length > 0) return;
        settled = true;
        if (held) giveSlab(held.slab);
        held = null;
        late.length = 0;
        r.signal.removeEventListener('abort', onAbort);
        clearTimeout(answerTimer);
        if (sink) sink.segment.claimed = sink.segment.written;
        if (conn.reader === reader) {
          if (!failure && headerDone && bodyLeft === 0 && keepAlive) release(conn);
          else {
            setReader(conn, null);
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
            sink!.segment.written += e.to - e.from;
            sink!.onWritten([e.slab.subarray(e.from, e.to)], e.position, e.to - e.from);
          } else broken = true;
          giveSlab(e.slab);
        }
      };

      type Write = (typeof inflight)[number];
      const written = (entry: Write) => {
        entry.done = true;
        entry.ok = true;
        drain();
        if (paused && !finished) {
          paused = false;
          conn.socket.resume();
        }
        pump();
        if (finished) settle();
      };
      const writeFailed = (entry: Write, error: unknown) => {
        entry.done = true;
        // The disk failed (full?): that is the error; what is queued cannot be written.
        if (!failure || failure instanceof NetworkError) failure = error;
        for (const q of queue.splice(0)) giveSlab(q.slab);
        drain();
        finish();
        settle();
      };

      const pump = () => {
        while (queue.length > 0 && inflight.length < writesAllowed() && !broken) {
          const w = queue.shift()!;
          const entry: Write = { ...w, done: false, ok: false };
          inflight.push(entry);
          const buffers = [w.slab.subarray(w.from, w.to)];
          if (!inlineWrites.inline(busy)) {
            sink!.part.write(buffers, w.position).then(
              () => written(entry),
              (error: unknown) => writeFailed(entry, error),
            );
            continue;
          }
          const started = performance.now();
          try {
            sink!.part.writeNow(buffers, w.position);
          } catch (error) {
            writeFailed(entry, error);
            continue;
          }
          inlineWrites.wroteInline(performance.now() - started);
          written(entry);
        }
        if (broken) for (const q of queue.splice(0)) giveSlab(q.slab);
      };

      /** Queues the body bytes in the socket's slab for writing and gives the socket a fresh slab. */
      const cutSlab = () => {
        if (sink && bodyFrom >= 0 && conn.used > bodyFrom) {
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
        if (!match) throw new FramingError('no status line');
        const status = Number(match[1]);
        const headers: Record<string, string> = {};
        let repeated = false;
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon <= 0 || /\s/.test(line.slice(0, colon))) throw new FramingError('malformed header');
          const name = line.slice(0, colon).toLowerCase();
          if (name in headers) repeated = true;
          else headers[name] = line.slice(colon + 1).trim();
        }
        // A 200 (ranges ignored, or the file changed), a 416 or an error status is the answer
        // whatever the body: its typed error (Retry-After included) goes back as got's would.
        // A redirect, or a link that may have expired, is got's to follow. A probe's 200 is the
        // answer it wants, when it is simple.
        if (!r.range && REDIRECT_STATUSES.includes(status) && headers.location) throw new RedirectError(headers.location);
        const wanted = r.range ? 206 : 200;
        const answer = (status === 200 && r.range !== null) || status >= 400;
        if (answer && !(r.redirected && EXPIRED_LINK_STATUSES.includes(status))) {
          r.check(status, headers);
          throw new NotFastError(`status ${status}`);
        }
        if (status !== wanted) throw new NotFastError(`status ${status}`);
        // A repeated header is one of got's cases (conflicting lengths, two validators).
        if (repeated) throw new FramingError('repeated header');
        if (headers['transfer-encoding'] !== undefined) throw new FramingError('transfer-encoding');
        // An encoded whole file is decoded on the way to the disk: got's path does that.
        if (!/^(identity)?$/i.test(headers['content-encoding'] ?? '')) throw new FramingError('content-encoding');
        const length = headers['content-length'];
        if (length === undefined || !/^\d+$/.test(length)) throw new FramingError('no content-length');
        if (/\bclose\b/i.test(headers.connection ?? '')) keepAlive = false;
        r.check(status, headers);
        bodyLeft = Number(length);
        if (!sink) r.onAnswer?.(headers, body);
      };

      /** Counts `available` body bytes: how many the segment takes, and whether that ends the request. */
      const account = (available: number): { n: number; done: boolean } => {
        const seg = sink!.segment;
        let n = available;
        if (n > bodyLeft) {
          // More than the Content-Length: junk after the body. Keep the body, not the socket.
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
        bodyLeft -= n;
        offset += n;
        seg.claimed += n;
        return { n, done: full || bodyLeft === 0 };
      };

      /** Accounts for body bytes `slab[from, to)`: stops at the segment's end or the body's. */
      const take = (from: number, to: number): boolean => {
        const { n, done } = account(to - from);
        conn.used = from + n;
        if (done) {
          finish();
          return false;
        }
        if (conn.used >= conn.slab.length) {
          cutSlab();
          // A write done inline may have failed (the disk is full): nothing more to take.
          if (finished) return false;
          if (inflight.length >= writesAllowed()) {
            paused = true;
            return false;
          }
        }
        return true;
      };

      const reader: Reader = {
        buffer: () => {
          if (conn.used >= conn.slab.length) cutSlab();
          return conn.slab.subarray(conn.used);
        },
        read: (n) => {
          if (finished) return false;
          received += n;
          const at = conn.used;
          conn.used += n;
          if (headerDone && !sink) {
            late.push(Buffer.from(conn.slab.subarray(at, conn.used)));
            conn.used = at;
            return false;
          }
          if (headerDone) return take(at, conn.used);
          const end = conn.slab.subarray(0, conn.used).indexOf('\r\n\r\n');
          if (end < 0 ? conn.used >= MAX_HEADER_BYTES : end > MAX_HEADER_BYTES) {
            // Past Node's own limit: got (whose parser refuses them) gives the answer.
            finish(new FramingError('headers too large'));
            return false;
          }
          if (end < 0) return true;
          try {
            onHeaders(conn.slab.toString('latin1', 0, end));
          } catch (error) {
            finish(error);
            return false;
          }
          headerDone = true;
          bodyFrom = end + 4;
          if (!sink) {
            // A probe's body waits (the socket stops reading) until it has a sink. The bytes
            // that came with the headers are held in their slab; the socket reads on into a
            // fresh one. (Only here, inside a read, may the socket's slab change: Node asks
            // for the next read's buffer right after.)
            if (conn.used > bodyFrom) held = { slab: conn.slab, from: bodyFrom, to: conn.used };
            else giveSlab(conn.slab);
            conn.slab = takeSlab();
            conn.used = 0;
            bodyFrom = 0;
            return false;
          }
          return take(bodyFrom, conn.used);
        },
        closed: (error) => {
          if (headerDone && !sink && !finished) closedWhileWaiting = { error };
          else finish(!headerDone || bodyLeft > 0 ? error : null);
        },
      };

      const body: FastBody = {
        into(s) {
          if (sink || finished) return done;
          sink = s;
          /** Queues what waited for the sink; true when that is the whole answer. */
          const hand = (slab: Buffer, from: number, to: number): boolean => {
            const { n, done: ended } = account(to - from);
            if (n > 0) queue.push({ slab, from, to: from + n, position: offset - n });
            else giveSlab(slab);
            return ended;
          };
          let ended = false;
          if (held) {
            const { slab, from, to } = held;
            held = null;
            ended = hand(slab, from, to);
          }
          for (const chunk of late.splice(0)) if (!ended) ended = hand(chunk, 0, chunk.length);
          pump();
          if (ended) {
            finish();
            return done;
          }
          if (closedWhileWaiting) finish(bodyLeft > 0 ? closedWhileWaiting.error : null);
          else conn.socket.resume();
          return done;
        },
        destroy: () => onAbort(),
      };

      const onAbort = () => {
        finish(new AbortedError());
        if (conn.reader === reader) {
          setReader(conn, null);
          conn.socket.destroy();
        }
      };
      r.signal.addEventListener('abort', onAbort, { once: true });
      const answerTimer = setTimeout(() => {
        if (!headerDone) reader.closed(new NetworkError('TIMEOUT', 'The server did not answer in time.'));
      }, r.connectTimeoutMs + r.idleTimeoutMs);
      setReader(conn, reader);
      conn.socket.setTimeout(r.idleTimeoutMs);
      const head =
        `GET ${r.url.pathname}${r.url.search} HTTP/1.1\r\nHost: ${r.url.host}\r\n` +
        (r.range ? `Range: bytes=${r.range.start}-${r.range.end}\r\n` : '') +
        Object.entries(r.headers)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('') +
        '\r\n';
      conn.socket.write(head, 'latin1');
      if (conn.socket.isPaused()) conn.socket.resume();
    });
    return done;
  }

  /** Runs `job` on a kept-alive socket, or on a fresh one when the kept one had died. */
  async function run(job: Job): Promise<void> {
    for (;;) {
      if (destroyed || job.signal.aborted) throw new AbortedError();
      const { conn, reused } = connect(job.url, job.connectTimeoutMs);
      try {
        return await attempt(job, conn, reused);
      } catch (error) {
        if (!(error instanceof StaleSocketError)) throw error;
      }
    }
  }

  return {
    fetch(r) {
      return run({ ...r, range: { start: r.start, end: r.end }, sink: r });
    },
    probe(r) {
      // A server whose whole-file answers need got (chunked or close-delimited bodies, a redirect
      // it does not follow) cost one request and what it sent before the socket closed: once is enough.
      if (gotOrigins.has(r.url.origin)) return Promise.reject(new NotFastError('this server answers in a way only got reads'));
      return new Promise<FastAnswer>((resolve, reject) => {
        // Settles at the headers; what happens to the body afterwards is the sink's business.
        let answered = false;
        const hop = (url: URL, hops: number) => {
          const onAnswer = (headers: Record<string, string>, body: FastBody) => {
            answered = true;
            resolve({ status: 200, headers, url: url.href, body });
          };
          run({ ...r, url, range: null, redirected: false, sink: null, onAnswer }).then(
            () => {
              // Ending after the answer is the normal case: no error (and no stack trace) is built.
              if (!answered) reject(new NotFastError('the exchange ended before its answer'));
            },
            (error: unknown) => {
              if (error instanceof RedirectError) {
                if (hops >= MAX_REDIRECTS) return reject(tooManyRedirects());
                const next = URL.canParse(error.location, url.href) ? new URL(error.location, url) : null;
                if (next && fastPathServes(next)) return hop(next, hops + 1);
              }
              // Downloads that start here need got (another scheme or credentials at the end of
              // the redirects, or answers only got reads): ask it straight away from now on.
              if (error instanceof FramingError || error instanceof RedirectError) {
                if (gotOrigins.size >= MAX_GOT_ORIGINS) gotOrigins.clear();
                gotOrigins.add(r.url.origin);
              }
              reject(error instanceof RedirectError ? new NotFastError('a redirect the lean path does not follow') : error);
            },
          );
        };
        hop(r.url, 0);
      });
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

/** True for the URLs the fast path can serve: http and https without credentials. */
export function fastPathServes(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
}

/** node:tls, loaded when the first https URL is fetched (plain-http runs never pay for it). */
function tlsModule(): typeof tls {
  return process.getBuiltinModule('node:tls');
}
