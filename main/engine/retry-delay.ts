// How long to wait before the next attempt: exponential backoff with equal jitter, unless the
// server said how long (Retry-After, as seconds or an HTTP date). Pure, so it is table-tested.

export interface RetryDelayInput {
  /** 1 for the first retry. */
  attempt: number;
  baseMs: number;
  maxMs: number;
  /** From the server's Retry-After header, already parsed. */
  retryAfterMs?: number | null;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
}

/** Longest server-requested wait we honour; past it the segment waits this long and tries anyway. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

export function retryDelay({ attempt, baseMs, maxMs, retryAfterMs, random = Math.random }: RetryDelayInput): number {
  if (retryAfterMs !== null && retryAfterMs !== undefined && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  }
  // The exponent is capped: 2^30 times any real base already exceeds maxMs, and 0 * 2^1024 is NaN.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  // "Equal jitter": at least half the ceiling, so retries never hammer a struggling server.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Parses Retry-After: delta-seconds or an HTTP-date. Returns ms from `now`, or null. */
export function parseRetryAfter(value: string | undefined | null, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date always names a month; without this check V8's lenient Date.parse reads "1.5" or
  // "-5" as dates in 2001 and a garbled header would mean "retry now".
  if (!/[a-z]{3}/i.test(trimmed)) return null;
  // HTTP-dates are always GMT, but the asctime form carries no zone and Date.parse would read it
  // as local time: hours off on any machine not set to UTC.
  const zoned = /\b(GMT|UTC)\b|[+-]\d{4}$/i.test(trimmed) ? trimmed : `${trimmed} GMT`;
  const date = Date.parse(zoned);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
