// Writes a response body the way a misbehaving server would: paced, cut off, or stalled. Each
// chunk is counted only once the socket has accepted it, so the server's statistics describe what
// really went out, not what the handler hoped to send.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// Big enough that an unthrottled server is not the bottleneck of a benchmark.
const CHUNK = 256 * 1024;
// Throttled bodies go out in ~20 ticks a second: smooth enough that a speed meter sees a steady
// rate, coarse enough not to flood the event loop.
const TICKS_PER_SECOND = 20;
const RST_DELAY_MS = 20;

export interface SendPlan {
  data: Buffer;
  /** Bytes after which the connection is closed ('fin') or reset ('rst'). */
  dropAt?: { bytes: number; mode: 'fin' | 'rst' } | undefined;
  /** Bytes after which nothing more is sent, until the client gives up or the server closes. */
  stallAt?: number | undefined;
  throttle?: number | undefined;
  /** Paces this body together with others (a limit they share); see SharedPacer. */
  shared?: SharedPacer | undefined;
  /** Called with the offset in `data` and length of every chunk the socket accepted. */
  onSent: (offset: number, length: number) => void;
}

/**
 * One rate for several bodies: each chunk reserves its slot behind the last one reserved, so the
 * bodies together never go faster than `rate`, however many there are. Time nobody used is not
 * banked (no burst after a pause).
 */
export class SharedPacer {
  private next = 0;
  constructor(readonly rate: number) {}

  /** When `n` more bytes may go out (a performance.now() time). */
  reserve(n: number): number {
    const at = Math.max(performance.now(), this.next);
    this.next = at + (n / this.rate) * 1000;
    return at;
  }
}

export async function sendBody(res: ServerResponse, plan: SendPlan): Promise<void> {
  const { data, dropAt, stallAt, throttle, shared } = plan;
  const limit = Math.min(data.length, dropAt?.bytes ?? Infinity, stallAt ?? Infinity);
  const slowest = Math.min(throttle ?? Infinity, shared?.rate ?? Infinity);
  const tick = Number.isFinite(slowest) ? Math.max(1, Math.min(CHUNK, Math.round(slowest / TICKS_PER_SECOND))) : CHUNK;
  const startedAt = performance.now();
  // Headers go out now even if no body byte ever does ("cut after 0 bytes" still shows a status).
  res.flushHeaders();
  let sent = 0;
  // Settles when the socket has taken the last chunk written: a cut must not land before it.
  let flushed: Promise<void> = Promise.resolve();
  while (sent < limit) {
    if (res.destroyed) return;
    if (throttle) {
      // Pace against the start time rather than sleeping a fixed tick, so timer lag never adds up.
      const due = startedAt + (sent / throttle) * 1000;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (res.destroyed) return;
    }
    const at = sent;
    const n = Math.min(tick, limit - sent);
    if (shared) {
      const wait = shared.reserve(n) - performance.now();
      if (wait > 0) await sleep(wait);
      if (res.destroyed) return;
    }
    // Counted in the callback: it runs once the kernel has taken the bytes, and with an error
    // (so not counted) when the connection died first.
    let more = true;
    flushed = new Promise((resolve) => {
      more = res.write(data.subarray(at, at + n), (err) => {
        if (!err) plan.onSent(at, n);
        resolve();
      });
    });
    sent += n;
    if (!more && !(await drained(res))) return;
  }
  const socket = res.socket;
  if (dropAt && dropAt.bytes < data.length && dropAt.bytes <= (stallAt ?? Infinity)) {
    await Promise.race([flushed, closed(res)]);
    if (socket && !socket.destroyed) await cut(socket, dropAt.mode);
    return;
  }
  if (stallAt !== undefined && stallAt < data.length) {
    await closed(res);
    return;
  }
  res.end();
}

/** Resolves true when the socket wants more data, false if the connection went away first. */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve(true);
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      resolve(false);
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

async function cut(socket: Socket, mode: 'fin' | 'rst'): Promise<void> {
  if (mode === 'rst') {
    // A reset on the heels of a write can reach the peer as a plain FIN on some TCP stacks (seen
    // under gVisor); a short pause lets the written bytes be acknowledged first.
    await sleep(RST_DELAY_MS);
    // Over TLS the reset goes out on the TCP socket underneath (a TLS socket cannot send one).
    const tcp = (socket as Socket & { _parent?: Socket | null })._parent ?? socket;
    if (!socket.destroyed && !tcp.destroyed) tcp.resetAndDestroy();
  } else {
    socket.end();
  }
}

function closed(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.once('close', () => resolve()));
}
