// Where a full slab goes to be written: on the main thread ("inline", as curl writes) or to libuv's
// thread pool. Handing a write to the pool wakes a pool thread and, when it is done, the main loop
// again; on this 2-core machine those wake-ups cost about what the copy into the page cache does.
// The pool only pays when the main thread is the limit and the pool's threads can copy beside it.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * With this many busy connections or fewer, writes go inline whatever the load. A GiB on one
 * connection (5 alternating runs): 1.67-1.74 s instead of 1.76-2.25 s, and 0.2 s less CPU.
 */
export const INLINE_UP_TO = 2;
/**
 * With more connections, writes go inline while the main thread is mostly idle: a slow link (16
 * connections of 4 MiB/s each: 15 % less CPU, the same time). A fast one keeps the main thread busy
 * with its sockets, and writing inline there at 4 and 8 connections was up to 25 % slower. The
 * main thread counts as idle below IDLE_BELOW of its time in use, and stops being idle above
 * BUSY_ABOVE (apart, so that its own inline writes cannot flip the choice back and forth).
 */
export const IDLE_BELOW = 0.5;
export const BUSY_ABOVE = 0.8;
/** How often the main thread's load is looked at again. */
export const SAMPLE_MS = 250;
/**
 * A write inline that took longer than this (a slow or busy disk) stalls every socket and, in the
 * app, the window's messages: the next minute's writes go to the thread pool.
 */
export const SLOW_INLINE_WRITE_MS = 20;
export const INLINE_PAUSE_MS = 60_000;

export interface InlineWritePolicy {
  /** Whether the next write goes inline, with `busy` connections transferring. */
  inline(busy: number): boolean;
  /** How long a write done inline took. */
  wroteInline(ms: number): void;
}

export interface InlineWriteClock {
  now(): number;
  /** The main thread's event loop utilization, since `previous` when given (perf_hooks' shape). */
  utilization(previous?: EventLoopUtilization): EventLoopUtilization;
}

const realClock: InlineWriteClock = {
  now: () => performance.now(),
  utilization: (previous) => performance.eventLoopUtilization(previous),
};

export function createInlineWritePolicy(clock: InlineWriteClock = realClock): InlineWritePolicy {
  let pausedUntil = 0;
  let idle = false;
  let since = clock.utilization();
  let sampledAt = clock.now();
  return {
    inline(busy) {
      const now = clock.now();
      if (now < pausedUntil) return false;
      if (busy <= INLINE_UP_TO) return true;
      if (now - sampledAt >= SAMPLE_MS) {
        const used = clock.utilization(since).utilization;
        idle = idle ? used <= BUSY_ABOVE : used < IDLE_BELOW;
        since = clock.utilization();
        sampledAt = now;
      }
      return idle;
    },
    wroteInline(ms) {
      if (ms > SLOW_INLINE_WRITE_MS) pausedUntil = clock.now() + INLINE_PAUSE_MS;
    },
  };
}
