// How big a piece a connection takes off the front while the hash follows: the cases the bench and
// users meet, and the trade the size is chosen for (requests against the hash's tail).
import { describe, expect, it } from 'vitest';
import { HASH_BYTES_PER_S, MAX_PIECE, MIN_PIECE, pieceSize, REQUEST_COST_TTFBS, type PieceInputs } from '../../main/engine/piece-size.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Seconds lost per connection to requests, plus the hash's tail, for pieces of `piece` bytes. */
function cost(i: PieceInputs, piece: number): number {
  const gapS = (REQUEST_COST_TTFBS * i.ttfbMs!) / 1000;
  return (i.rest / i.connections / piece) * gapS + (i.connections * piece) / HASH_BYTES_PER_S;
}

/** The bench's throttled work: 4 MiB/s per connection through a proxy, 6 ms to the first byte. */
const throttled = (connections: number, rest = 240 * MiB): PieceInputs => ({ perConnectionRate: 4 * MiB, ttfbMs: 6, rest, connections });
/** A far server that limits each connection: 1 MiB/s, 100 ms to the first byte, 1 GiB to go. */
const far: PieceInputs = { perConnectionRate: 1 * MiB, ttfbMs: 100, rest: GiB, connections: 8 };
/** Loopback: 400 MiB/s per connection, 0.3 ms to the first byte. */
const loopback: PieceInputs = { perConnectionRate: 400 * MiB, ttfbMs: 0.3, rest: GiB, connections: 2 };

describe('pieceSize', () => {
  it('is the smallest piece until the rate and the time to first byte are known', () => {
    expect(pieceSize({ ...throttled(4), perConnectionRate: 0 })).toBe(MIN_PIECE);
    expect(pieceSize({ ...throttled(4), ttfbMs: null })).toBe(MIN_PIECE);
  });

  it('grows past the smallest piece when few connections share much (4 of 4 MiB/s: ~15 MiB)', () => {
    const piece = pieceSize(throttled(4));
    expect(piece).toBeGreaterThan(3 * MIN_PIECE);
    expect(piece).toBeLessThan(5 * MIN_PIECE);
  });

  it('stays small when many connections share it: the hash would have their pieces left at the end', () => {
    expect(pieceSize(throttled(16))).toBe(MIN_PIECE);
  });

  it('shrinks as the rest does, towards the end of the download', () => {
    const sizes = [240, 120, 60, 15].map((rest) => pieceSize(throttled(4, rest * MiB)));
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]!);
    expect(sizes.at(-1)).toBe(MIN_PIECE);
  });

  it('takes far fewer requests on a slow, far server (tens of MiB, not 6.4)', () => {
    const piece = pieceSize(far);
    expect(piece).toBeGreaterThan(40 * MiB);
    expect(piece).toBeLessThanOrEqual(MAX_PIECE);
    // The old rule alone (64 times to first byte at the connection's rate) gave 6.4 MiB pieces.
    expect(cost(far, piece)).toBeLessThan(cost(far, 6.4 * MiB) / 3);
  });

  it('keeps each piece at least 64 times to first byte long on a fast link', () => {
    const piece = pieceSize(loopback);
    expect(piece).toBeGreaterThanOrEqual(loopback.perConnectionRate * (64 * loopback.ttfbMs!) / 1000 - 1);
    expect(piece).toBeLessThanOrEqual(MAX_PIECE);
  });

  it.each([
    ['throttled, N = 4', throttled(4)],
    ['throttled, N = 8', throttled(8)],
    ['a far server', far],
  ])('costs no more than the smallest or the biggest piece would: %s', (_name, inputs) => {
    const piece = pieceSize(inputs);
    expect(cost(inputs, piece)).toBeLessThanOrEqual(cost(inputs, MIN_PIECE) + 1e-9);
    expect(cost(inputs, piece)).toBeLessThanOrEqual(cost(inputs, MAX_PIECE) + 1e-9);
  });

  it('stays within its bounds for any input', () => {
    for (const rate of [1, 1e3, 1e6, 1e9, 1e12]) {
      for (const ttfbMs of [0, 0.1, 10, 1000, 1e6]) {
        for (const rest of [0, 1, MiB, GiB, 1e15]) {
          for (const connections of [0, 1, 4, 32]) {
            const piece = pieceSize({ perConnectionRate: rate, ttfbMs, rest, connections });
            expect(Number.isInteger(piece)).toBe(true);
            expect(piece).toBeGreaterThanOrEqual(MIN_PIECE);
            expect(piece).toBeLessThanOrEqual(MAX_PIECE);
          }
        }
      }
    }
  });
});
