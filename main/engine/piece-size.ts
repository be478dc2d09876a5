// How many bytes a connection takes off the front at a time while a hash follows the download in
// file order. Pure, so a table of cases pins it down.
//
// Two costs pull the other way:
// - Every piece is one more request, and its connection idles until the answer's first byte.
//   Behind a per-connection limit that idle time is lost for good: nginx's limiter sleeps after
//   every read in proportion to its size, so a quiet connection earns no credit. Through the
//   bench's throttling proxy one request cost about 15 ms against a 6 ms time to first byte
//   (24 MiB in one request: 5.86 s; in 4 MiB pieces: 5.93 s), and 20-30 ms inside a Ferry run.
//   So a request is counted as two times to first byte.
// - The bigger the pieces, the more bytes land out of order at the end, where the hash still has
//   to read them: about one piece per connection, at the hash's pace.
// With `rest` bytes to go over N connections, pieces of p bytes cost (rest / N / p) requests of
// `gap` seconds each on every connection, and a tail of N × p / `hashRate`; their sum is least at
// p = √(rest × gap × hashRate) / N. At 4 MiB/s per connection and a 6 ms time to first byte that
// is about 14 MiB at N = 4 and the 4 MiB floor at N = 16, for 256 MiB.

/** Never smaller: a piece then still lasts many times a request's cost. */
export const MIN_PIECE = 4 * 1024 * 1024;
/** Never bigger: a piece is also what a connection that steps out or fails leaves half done. */
export const MAX_PIECE = 64 * 1024 * 1024;
/** What one request costs, in times to first byte (see above). */
export const REQUEST_COST_TTFBS = 2;
/**
 * Bytes per second the hashing thread gets through: SHA-256 (0.75 s per GiB here) and reading
 * the bytes back (0.15 s), rounded down, for the other threads it shares the cores with.
 */
export const HASH_BYTES_PER_S = 1024 * 1024 * 1024;

export interface PieceInputs {
  /** Bytes per second per connection so far; 0 while unknown. */
  perConnectionRate: number;
  /** Smoothed time to the first byte of a range answer; null while none came. */
  ttfbMs: number | null;
  /** Bytes not yet handed to any connection. */
  rest: number;
  /** Connections sharing them. */
  connections: number;
}

export function pieceSize({ perConnectionRate, ttfbMs, rest, connections }: PieceInputs): number {
  if (!perConnectionRate || ttfbMs === null) return MIN_PIECE;
  const gapS = (REQUEST_COST_TTFBS * ttfbMs) / 1000;
  // A piece lasts at least 64 times to first byte, so that requests cost a connection little...
  const byRate = (perConnectionRate * ttfbMs * 64) / 1000;
  // ...and longer when what is left is big enough that fewer requests outweigh the hash's tail.
  const balanced = Math.sqrt(Math.max(0, rest) * gapS * HASH_BYTES_PER_S) / Math.max(1, connections);
  return Math.round(Math.min(MAX_PIECE, Math.max(MIN_PIECE, byRate, balanced)));
}
