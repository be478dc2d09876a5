// Backoff with jitter and Retry-After: how long a segment waits before trying again. The random
// source is injected, so each row is exact.
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay } from '../../main/engine/retry-delay.js';

const fixed = (value: number) => () => value;

describe('retryDelay: exponential backoff with equal jitter', () => {
  it.each([
    // attempt, base, max, random → delay. The ceiling doubles per attempt; jitter picks [ceiling/2, ceiling].
    [1, 500, 30_000, 0, 250],
    [1, 500, 30_000, 0.5, 375],
    [1, 500, 30_000, 0.999999, 500],
    [2, 500, 30_000, 0, 500],
    [3, 500, 30_000, 0, 1000],
    [4, 500, 30_000, 1, 4000],
    [7, 500, 30_000, 1, 30_000],
    [8, 500, 30_000, 0, 15_000],
    [100, 500, 30_000, 0.5, 22_500],
    [5000, 500, 30_000, 1, 30_000],
    [0, 500, 30_000, 1, 500],
    [-3, 500, 30_000, 1, 500],
    [3, 0, 30_000, 0.5, 0],
    [5000, 0, 30_000, 0.5, 0],
  ])('attempt %i, base %i, max %i, random %d → %i ms', (attempt, baseMs, maxMs, r, expected) => {
    expect(retryDelay({ attempt, baseMs, maxMs, random: fixed(r) })).toBe(expected);
  });

  it('stays within [ceiling/2, ceiling] and never exceeds maxMs with the real random source', () => {
    for (let attempt = 1; attempt <= 40; attempt++) {
      const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const delay = retryDelay({ attempt, baseMs: 500, maxMs: 30_000 });
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('spreads retries out: two clients rarely pick the same delay', () => {
    const delays = new Set(Array.from({ length: 100 }, () => retryDelay({ attempt: 5, baseMs: 500, maxMs: 30_000 })));
    expect(delays.size).toBeGreaterThan(50);
  });
});

describe('retryDelay: the server said how long', () => {
  it.each([
    [0, 0],
    [2000, 2000],
    // Longer than maxMs is still honoured: the server knows when it will be back.
    [120_000, 120_000],
    [MAX_RETRY_AFTER_MS + 1, MAX_RETRY_AFTER_MS],
    [Infinity, MAX_RETRY_AFTER_MS],
  ])('Retry-After of %d ms → waits %d ms, no jitter', (retryAfterMs, expected) => {
    expect(retryDelay({ attempt: 3, baseMs: 500, maxMs: 30_000, retryAfterMs, random: fixed(0.5) })).toBe(expected);
  });

  it.each([null, undefined, -1, NaN])('Retry-After of %s → normal backoff', (retryAfterMs) => {
    expect(retryDelay({ attempt: 3, baseMs: 500, maxMs: 30_000, retryAfterMs, random: fixed(0) })).toBe(1000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  it.each([
    ['0', 0],
    ['7', 7000],
    [' 120 ', 120_000],
    ['Wed, 21 Oct 2015 07:28:30 GMT', 30_000],
    // The obsolete forms an HTTP/1.1 recipient must accept (RFC 9110 section 5.6.7).
    ['Wednesday, 21-Oct-15 07:29:00 GMT', 60_000],
    ['Wed Oct 21 07:28:10 2015', 10_000],
    // A date in the past means "now", not a negative wait.
    ['Wed, 21 Oct 2015 07:00:00 GMT', 0],
    ['', null],
    ['soon', null],
    ['-5', null],
    ['1.5', null],
    ['1e3', null],
    ['10 seconds', null],
    ['Foo, 99 Bar 2015 99:99:99 GMT', null],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each([null, undefined])('%s → null', (value) => {
    expect(parseRetryAfter(value, now)).toBeNull();
  });

  it('reads a zone-less asctime date as GMT whatever the local time zone', () => {
    const saved = process.env.TZ;
    // Node re-reads TZ when it is assigned, so this runs as on a machine in New York.
    process.env.TZ = 'America/New_York';
    try {
      expect(new Date(now).getHours()).not.toBe(new Date(now).getUTCHours());
      expect(parseRetryAfter('Wed Oct 21 07:28:10 2015', now)).toBe(10_000);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('measures a date from the current time by default', () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter(inAMinute)!;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});
