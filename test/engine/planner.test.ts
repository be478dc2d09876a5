// The split planner and work stealing: the parts of a segmented downloader where an off-by-one
// silently corrupts a file. Tables of exact cases, plus exhaustive property checks over many
// (size, connections, minSplitSize) combinations and seeded random steal sequences.
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../main/engine/model.js';
import { isExactPartition, leadBytes, MIN_STEAL, minStealBytes, planInOrder, planSegments, planSteal, remainingBytes, splitFront } from '../../main/engine/planner.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** Independent of isExactPartition (which is itself under test): contiguous from 0 to size - 1. */
function expectContiguous(segments: Segment[], size: number): void {
  let next = 0;
  for (const s of segments) {
    expect(s.start).toBe(next);
    expect(s.end).not.toBeNull();
    next = s.end! + 1;
  }
  expect(next).toBe(size);
}

const lengthOf = (s: Segment): number => s.end! - s.start + 1;

describe('planSegments: exact cases', () => {
  it.each([
    { size: 0, connections: 8, min: 1, expected: [[0, -1]] },
    { size: 1, connections: 8, min: 1, expected: [[0, 0]] },
    { size: 10, connections: 3, min: 1, expected: [[0, 3], [4, 6], [7, 9]] },
    { size: 10, connections: 10, min: 1, expected: Array.from({ length: 10 }, (_, i) => [i, i]) },
    { size: 100, connections: 4, min: 30, expected: [[0, 33], [34, 66], [67, 99]] },
    { size: 100, connections: 4, min: 1000, expected: [[0, 99]] },
    { size: 100, connections: 0, min: 1, expected: [[0, 99]] },
    { size: 100, connections: -3, min: 1, expected: [[0, 99]] },
    { size: 100, connections: NaN, min: 1, expected: [[0, 99]] },
    { size: 100, connections: 2.9, min: 1, expected: [[0, 49], [50, 99]] },
    { size: 100, connections: 2, min: 0, expected: [[0, 49], [50, 99]] },
    { size: 5 * GiB, connections: 2, min: MiB, expected: [[0, 2.5 * GiB - 1], [2.5 * GiB, 5 * GiB - 1]] },
  ])('size $size, $connections connections, min $min', ({ size, connections, min, expected }) => {
    const plan = planSegments(size, connections, min);
    expect(plan.map((s) => [s.start, s.end])).toEqual(expected);
    expect(plan.every((s) => s.written === 0)).toBe(true);
  });

  it.each([-1, 1.5, NaN, Infinity, 2 ** 53])('rejects size %d', (size) => {
    expect(() => planSegments(size, 4, 1)).toThrow(RangeError);
  });
});

describe('planSegments: partitions are exact', () => {
  const sizes = [0, 1, 2, 3, 7, 31, 32, 33, 1000, MiB - 1, MiB, MiB + 1, 10 * MiB + 3, 4 * GiB - 1, 4 * GiB + 1, 5 * GiB];
  const connectionCounts = [1, 2, 3, 5, 8, 16, 31, 32];
  const minSizes = [1, 4 * KiB, MiB, 20 * MiB];
  const combos = sizes.flatMap((size) =>
    connectionCounts.flatMap((connections) => minSizes.map((min) => ({ size, connections, min }))),
  );

  it.each(combos)('size $size, $connections connections, min $min', ({ size, connections, min }) => {
    const plan = planSegments(size, connections, min);
    expect(isExactPartition(plan, size)).toBe(true);
    if (size === 0) return;
    expectContiguous(plan, size);
    // As many segments as the connections and the minimum size allow, never more.
    expect(plan.length).toBe(Math.min(connections, Math.max(1, Math.floor(size / min))));
    const lengths = plan.map(lengthOf);
    if (plan.length > 1) expect(Math.min(...lengths)).toBeGreaterThanOrEqual(min);
    // Near-equal: a slow last segment would otherwise decide the finish time.
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
  });
});

describe('remainingBytes', () => {
  it.each([
    { start: 0, end: 99, claimed: 0, left: 100 },
    { start: 0, end: 99, claimed: 99, left: 1 },
    { start: 0, end: 99, claimed: 100, left: 0 },
    { start: 0, end: 99, claimed: 150, left: 0 },
    { start: 10, end: 19, claimed: 5, left: 5 },
    { start: 4 * GiB, end: 5 * GiB - 1, claimed: 1, left: GiB - 1 },
    { start: 0, end: null, claimed: 10, left: Infinity },
  ])('[$start, $end] with $claimed claimed → $left', ({ start, end, claimed, left }) => {
    expect(remainingBytes({ start, end }, claimed)).toBe(left);
  });
});

describe('planSteal: exact cases', () => {
  const seg = (start: number, end: number | null, claimed: number, id = 0) => ({ id, start, end, claimed });

  it.each([
    { label: 'nothing to steal from', candidates: [], min: 1, cut: null },
    { label: 'untouched segment is halved', candidates: [seg(0, 999, 0)], min: 100, cut: 500 },
    { label: 'half of what is left, not of the segment', candidates: [seg(0, 999, 400)], min: 100, cut: 700 },
    { label: 'odd remainder: the victim keeps the extra byte', candidates: [seg(0, 100, 0)], min: 1, cut: 51 },
    { label: 'half exactly the minimum', candidates: [seg(0, 199, 0)], min: 100, cut: 100 },
    { label: 'half one byte short of the minimum', candidates: [seg(0, 198, 0)], min: 100, cut: null },
    { label: 'fully claimed', candidates: [seg(0, 99, 100)], min: 1, cut: null },
    { label: 'claimed past the end', candidates: [seg(0, 99, 500)], min: 1, cut: null },
    { label: 'one byte left cannot be split', candidates: [seg(0, 99, 99)], min: 0, cut: null },
    { label: 'two bytes left, min 0 acts as 1', candidates: [seg(0, 99, 98)], min: 0, cut: 99 },
    { label: 'unknown end is never a victim', candidates: [seg(0, null, 0)], min: 1, cut: null },
    { label: 'past 4 GiB', candidates: [seg(4 * GiB, 5 * GiB - 1, MiB)], min: MiB, cut: 5 * GiB - (GiB - MiB) / 2 },
  ])('$label', ({ candidates, min, cut }) => {
    const result = planSteal(candidates, min);
    expect(result?.cut ?? null).toBe(cut);
    if (result) expect(result.victim).toBe(candidates[0]);
  });

  it('takes from the segment with the most bytes left, not the longest one', () => {
    const candidates = [seg(0, 999, 900, 1), seg(1000, 1599, 0, 2), seg(1600, 1999, 0, 3)];
    expect(planSteal(candidates, 1)).toEqual({ victim: candidates[1], cut: 1300 });
  });

  it('ignores segments of unknown length when others can be split', () => {
    const candidates = [seg(0, null, 0, 1), seg(0, 99, 0, 2)];
    expect(planSteal(candidates, 1)?.victim.id).toBe(2);
  });
});

describe('planSteal: the victim moves on while the thief waits for its answer', () => {
  const seg = (start: number, end: number | null, claimed: number) => ({ start, end, claimed });

  it.each([
    // 1000 bytes left; while the new request is answered the victim moves 100 more, so it keeps
    // 550 and the thief takes 450: both have 450 to go once the thief's first byte arrives.
    { label: 'the lead stays with the victim', candidates: [seg(0, 999, 0)], min: 1, lead: 100, cut: 550 },
    { label: 'after what is claimed', candidates: [seg(0, 999, 400)], min: 1, lead: 100, cut: 750 },
    { label: 'no lead: halves', candidates: [seg(0, 999, 0)], min: 1, lead: 0, cut: 500 },
    { label: 'the thief’s part under the minimum', candidates: [seg(0, 999, 0)], min: 451, lead: 100, cut: null },
    { label: 'a lead as big as what is left', candidates: [seg(0, 999, 0)], min: 1, lead: 1000, cut: null },
    { label: 'a lead past what is left', candidates: [seg(0, 999, 0)], min: 1, lead: 5000, cut: null },
    { label: 'a NaN lead counts as none', candidates: [seg(0, 999, 0)], min: 1, lead: NaN, cut: 500 },
    { label: 'a negative lead counts as none', candidates: [seg(0, 999, 0)], min: 1, lead: -300, cut: 500 },
  ])('$label', ({ candidates, min, lead, cut }) => {
    expect(planSteal(candidates, min, lead)?.cut ?? null).toBe(cut);
  });

  it('ends both parts together at equal rates', () => {
    // Victim and thief at 4 MiB/s, 100 ms to the thief's first byte, 3 MiB left.
    const rate = 4 * MiB;
    const ttfbS = 0.1;
    const victim = seg(0, 3 * MiB - 1, 0);
    const steal = planSteal([victim], 64 * KiB, leadBytes(rate, ttfbS * 1000))!;
    const victimEnds = steal.cut / rate;
    const thiefEnds = ttfbS + (victim.end! - steal.cut + 1) / rate;
    expect(Math.abs(victimEnds - thiefEnds)).toBeLessThan(0.001);
    // Halving instead would end the thief 100 ms after the victim.
    const halved = planSteal([victim], 64 * KiB)!;
    expect(ttfbS + (victim.end! - halved.cut + 1) / rate - halved.cut / rate).toBeCloseTo(ttfbS, 3);
  });
});

describe('leadBytes: what a connection moves while a new request is answered', () => {
  it.each([
    { label: '4 MiB/s, 100 ms', rate: 4 * MiB, ttfb: 100, want: Math.round(0.4 * MiB) },
    { label: 'loopback, 300 MiB/s, 0.3 ms', rate: 300 * MiB, ttfb: 0.3, want: Math.round(300 * MiB * 0.0003) },
    { label: 'rate not known yet', rate: 0, ttfb: 100, want: 0 },
    { label: 'time to first byte not known yet', rate: 4 * MiB, ttfb: null, want: 0 },
    { label: 'NaN rate', rate: NaN, ttfb: 100, want: 0 },
  ])('$label', ({ rate, ttfb, want }) => {
    expect(leadBytes(rate, ttfb)).toBe(want);
  });
});

/** mulberry32: a seeded PRNG, so a failing random sequence can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('planSteal: stealing until nothing is worth it', () => {
  it.each([
    { size: 1000, connections: 1, min: 1, seed: 1 },
    { size: 1000, connections: 4, min: 10, seed: 2 },
    { size: 10 * MiB + 7, connections: 8, min: 64 * KiB, seed: 3 },
    { size: 5 * GiB, connections: 32, min: MiB, seed: 4 },
    { size: 5 * GiB + 1, connections: 3, min: 20 * MiB, seed: 5 },
    { size: 256 * MiB, connections: 16, min: 64 * KiB, seed: 6, lead: 400 * KiB },
    { size: 1000, connections: 4, min: 1, seed: 7, lead: 999 },
  ])('size $size, $connections connections, min $min (seed $seed)', ({ size, connections, min, seed, lead = 0 }) => {
    const random = prng(seed);
    const segments = planSegments(size, connections, min).map((s) => ({ ...s, claimed: 0 }));
    for (let round = 0; round < 10_000; round++) {
      // Connections make uneven progress between steals.
      for (const s of segments) s.claimed = Math.min(lengthOf(s), s.claimed + Math.floor(random() * (lengthOf(s) / 3)));
      const steal = planSteal(segments, min, lead);
      if (!steal) {
        // Null only when no segment has room for a minimum part besides the victim's lead.
        for (const s of segments) expect(Math.floor((remainingBytes(s, s.claimed) - lead) / 2)).toBeLessThan(Math.max(1, min));
        return;
      }
      const { victim, cut } = steal;
      const oldEnd = victim.end!;
      // Never below what the victim's connection has already taken off the wire.
      expect(cut).toBeGreaterThan(victim.start + victim.claimed);
      expect(cut).toBeLessThanOrEqual(oldEnd);
      expect(oldEnd - cut + 1).toBeGreaterThanOrEqual(min);
      victim.end = cut - 1;
      segments.push({ start: cut, end: oldEnd, written: 0, claimed: 0 });
      segments.sort((a, b) => a.start - b.start);
      expect(isExactPartition(segments, size)).toBe(true);
    }
    throw new Error('stealing did not converge');
  });
});

describe('minStealBytes: the smallest back half worth a request', () => {
  it.each([
    // A fast link: a request costs little next to what a connection moves; the 1 MiB floor stays.
    { label: 'loopback, 300 MiB/s a connection, 2 ms', rate: 300 * MiB, ttfb: 2, min: MiB, want: MiB },
    { label: 'internet, 10 MiB/s, 50 ms', rate: 10 * MiB, ttfb: 50, min: MiB, want: MiB },
    // Slow connections: a stolen part pays while it takes 4 times the time to first byte.
    { label: 'internet, 2 MiB/s, 50 ms', rate: 2 * MiB, ttfb: 50, min: MiB, want: Math.round(2 * MiB * 0.05 * 4) },
    { label: 'a server holding each connection to 4 MiB/s, 2 ms', rate: 4 * MiB, ttfb: 2, min: MiB, want: MIN_STEAL },
    { label: 'never under MIN_STEAL', rate: 100 * KiB, ttfb: 1, min: MiB, want: MIN_STEAL },
    // A smaller minSplitSize is never raised.
    { label: 'a smaller minSplitSize', rate: 300 * MiB, ttfb: 2, min: 16 * KiB, want: 16 * KiB },
    { label: 'rate not known yet', rate: 0, ttfb: 2, min: MiB, want: MiB },
    { label: 'time to first byte not known yet', rate: 4 * MiB, ttfb: null, min: MiB, want: MiB },
    { label: 'NaN rate', rate: NaN, ttfb: 2, min: MiB, want: MiB },
  ])('$label', ({ rate, ttfb, min, want }) => {
    expect(minStealBytes(rate, ttfb, min)).toBe(want);
  });
});

describe('isExactPartition', () => {
  const s = (start: number, end: number | null, written = 0): Segment => ({ start, end, written });
  it.each([
    { label: 'one segment', segments: [s(0, 9)], size: 10, ok: true },
    { label: 'out of order', segments: [s(5, 9), s(0, 4)], size: 10, ok: true },
    { label: 'fully written', segments: [s(0, 4, 5), s(5, 9, 5)], size: 10, ok: true },
    { label: 'empty file', segments: [s(0, -1)], size: 0, ok: true },
    { label: 'gap', segments: [s(0, 3), s(5, 9)], size: 10, ok: false },
    { label: 'overlap', segments: [s(0, 5), s(5, 9)], size: 10, ok: false },
    { label: 'does not start at 0', segments: [s(1, 9)], size: 10, ok: false },
    { label: 'short of the size', segments: [s(0, 8)], size: 10, ok: false },
    { label: 'past the size', segments: [s(0, 10)], size: 10, ok: false },
    { label: 'written past the end', segments: [s(0, 4, 6), s(5, 9)], size: 10, ok: false },
    { label: 'negative written', segments: [s(0, 9, -1)], size: 10, ok: false },
    { label: 'unknown end', segments: [s(0, null)], size: 10, ok: false },
    { label: 'no segments for a non-empty file', segments: [], size: 10, ok: false },
  ])('$label → $ok', ({ segments, size, ok }) => {
    expect(isExactPartition(segments, size)).toBe(ok);
  });
});

describe('planInOrder: pieces from the front, then the rest', () => {
  const MiB = 1024 * 1024;
  it('N pieces from byte 0 and one segment for the rest', () => {
    const plan = planInOrder(100 * MiB, 4, MiB, 4 * MiB);
    expect(plan.map((s) => [s.start, s.end])).toEqual([
      [0, 4 * MiB - 1],
      [4 * MiB, 8 * MiB - 1],
      [8 * MiB, 12 * MiB - 1],
      [12 * MiB, 16 * MiB - 1],
      [16 * MiB, 100 * MiB - 1],
    ]);
  });
  it.each([[5 * 1024 * 1024], [20 * 1024 * 1024 - 1], [0]])('a file too small for N + 1 pieces (%i bytes) gets the equal split', (size) => {
    expect(planInOrder(size, 4, MiB, 4 * MiB)).toEqual(planSegments(size, 4, MiB));
  });
  it.each([
    [1, 8],
    [7, 4],
    [32, 16],
  ])('partitions exactly (connections %i, piece %i MiB)', (connections, piece) => {
    for (const size of [1, MiB, 333 * MiB + 17, 5 * 1024 * MiB + 3]) {
      expect(isExactPartition(planInOrder(size, connections, MiB, piece * MiB), size)).toBe(true);
    }
  });
});

describe('splitFront: the next piece off an idle segment', () => {
  const MiB = 1024 * 1024;
  it('cuts one piece after the bytes the segment already has', () => {
    expect(splitFront({ start: 10 * MiB, end: 100 * MiB - 1, claimed: MiB }, 4 * MiB, MiB)).toBe(15 * MiB);
  });
  it('leaves a remainder too small for its own request in the piece', () => {
    expect(splitFront({ start: 0, end: 5 * MiB - 1, claimed: 0 }, 4 * MiB, MiB)).toBeNull();
    expect(splitFront({ start: 0, end: 6 * MiB - 1, claimed: 0 }, 4 * MiB, MiB)).toBe(4 * MiB);
  });
  it('never splits a segment of unknown length', () => {
    expect(splitFront({ start: 0, end: null, claimed: 0 }, 4 * MiB, MiB)).toBeNull();
  });
});
