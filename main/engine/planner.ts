// Splitting a file into segments, and work stealing. Pure functions: the clever part of a
// segmented downloader, kept free of I/O so a table of cases can pin it down.
import type { Segment } from './model.js';

/**
 * Splits `[0, size)` into at most `connections` contiguous segments of near-equal length, none
 * smaller than `minSplitSize` (except when the whole file is). Ends are inclusive.
 */
export function planSegments(size: number, connections: number, minSplitSize: number): Segment[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad size ${size}`);
  if (size === 0) return [{ start: 0, end: -1, written: 0 }];
  const byMinSize = Math.max(1, Math.floor(size / Math.max(1, minSplitSize)));
  // NaN connections would otherwise make `count` NaN and the plan empty: no partition at all.
  const wanted = Number.isNaN(connections) ? 1 : Math.floor(connections);
  const count = Math.max(1, Math.min(wanted, byMinSize));
  const base = Math.floor(size / count);
  const extra = size % count;
  const segments: Segment[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const length = base + (i < extra ? 1 : 0);
    segments.push({ start, end: start + length - 1, written: 0 });
    start += length;
  }
  return segments;
}

/**
 * Plans a download fetched in file order: `connections` pieces of `pieceSize` from byte 0, then
 * the rest as one segment that connections split pieces off, front first (`splitFront`). Bytes
 * then land near one advancing front, so a hash that reads the file in order keeps up with the
 * download instead of reading most of it back at the end. With one connection too: the probe's
 * stream stops after its piece, and the rest comes as plain ranges (the lean path, when it
 * applies). Small files get the equal split.
 */
export function planInOrder(size: number, connections: number, minSplitSize: number, pieceSize: number): Segment[] {
  const count = Math.max(1, Math.floor(Number.isNaN(connections) ? 1 : connections));
  const piece = Math.max(pieceSize, minSplitSize, 1);
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad size ${size}`);
  if (size < (count + 1) * piece) return planSegments(size, count, minSplitSize);
  const segments: Segment[] = [];
  for (let i = 0; i < count; i++) segments.push({ start: i * piece, end: (i + 1) * piece - 1, written: 0 });
  segments.push({ start: count * piece, end: size - 1, written: 0 });
  return segments;
}

/**
 * Where to cut an idle segment so a connection takes `pieceSize` bytes off its front (after the
 * bytes it already has); null when the rest is not worth a separate request.
 */
export function splitFront(segment: StealCandidate, pieceSize: number, minSplitSize: number): number | null {
  if (segment.end === null) return null;
  const cut = segment.start + segment.claimed + Math.max(pieceSize, 1);
  return segment.end - cut + 1 >= Math.max(minSplitSize, pieceSize / 2, 1) ? cut : null;
}

/** Bytes of a segment not yet claimed by its connection; `claimed` counts bytes taken off the wire. */
export function remainingBytes(segment: { start: number; end: number | null }, claimed: number): number {
  if (segment.end === null) return Infinity;
  return Math.max(0, segment.end - (segment.start + claimed) + 1);
}

export interface StealCandidate {
  start: number;
  end: number | null;
  /** Bytes already taken off the wire (written or being written); the split never goes below. */
  claimed: number;
}

/**
 * Picks the segment with the most bytes left and returns where to cut it: the victim keeps
 * `[start, cut - 1]`, a new segment takes `[cut, end]`. The new segment's connection waits for its
 * answer while the victim's goes on moving `victimLead` bytes (its rate × the time to first byte:
 * `leadBytes`), so the cut leaves the victim that much more than half, and both end together. Returns null when the
 * new segment would be smaller than `minSplitSize`: a new request would cost more than it saves
 * (IDM's and aria2's rule).
 */
export function planSteal<T extends StealCandidate>(
  candidates: readonly T[],
  minSplitSize: number,
  victimLead = 0,
): { victim: T; cut: number } | null {
  let best: T | null = null;
  let bestLeft = 0;
  for (const c of candidates) {
    if (c.end === null) continue;
    const left = remainingBytes(c, c.claimed);
    if (left > bestLeft) {
      best = c;
      bestLeft = left;
    }
  }
  if (best === null || best.end === null) return null;
  const lead = Number.isFinite(victimLead) && victimLead > 0 ? Math.floor(victimLead) : 0;
  const taken = Math.floor((bestLeft - lead) / 2);
  if (taken < Math.max(1, minSplitSize)) return null;
  const cut = best.end - taken + 1;
  return { victim: best, cut };
}

/** Below this a back half is never worth a request of its own, however slow the connection. */
export const MIN_STEAL = 64 * 1024;
/** A steal must take this many times longer to transfer than a request costs to answer. */
const STEAL_PAYBACK = 4;

/**
 * The smallest part worth stealing, for connections that each move `bytesPerSecond` and whose
 * requests are answered after `ttfbMs`. A steal cut by `planSteal` (with the victim's lead) brings
 * the end forward by the stolen part's transfer time, so it pays while that is a few times the
 * time to first byte; twice was tried, and made more steals at the end, each one cutting the
 * victim's response and so closing its connection. On a fast link that stays at `minSplitSize`;
 * on connections held to a few MiB/s it falls towards MIN_STEAL, so the last second of a throttled
 * download keeps every connection busy instead of leaving up to 2 MiB to one of them. Unknown
 * rate or time to first byte: `minSplitSize`.
 */
export function minStealBytes(bytesPerSecond: number, ttfbMs: number | null, minSplitSize: number): number {
  const perTtfb = bytesPerTtfb(bytesPerSecond, ttfbMs);
  if (perTtfb === null) return minSplitSize;
  return Math.min(minSplitSize, Math.max(MIN_STEAL, Math.round(perTtfb * STEAL_PAYBACK)));
}

/** Bytes a connection moves while another waits for its first byte: the victim's lead in a steal. */
export function leadBytes(bytesPerSecond: number, ttfbMs: number | null): number {
  return Math.round(bytesPerTtfb(bytesPerSecond, ttfbMs) ?? 0);
}

/** Bytes moved in one time to first byte at `bytesPerSecond`; null while either is unknown. */
function bytesPerTtfb(bytesPerSecond: number, ttfbMs: number | null): number | null {
  if (!(bytesPerSecond > 0) || ttfbMs === null || !(ttfbMs >= 0)) return null;
  return bytesPerSecond * (ttfbMs / 1000);
}

/** Checks that segments partition `[0, size)` exactly; used by tests and by resume as a guard. */
export function isExactPartition(segments: readonly Segment[], size: number): boolean {
  const sorted = [...segments].sort((a, b) => a.start - b.start);
  let next = 0;
  for (const s of sorted) {
    if (s.end === null || s.start !== next || s.end < s.start - 1) return false;
    if (s.written < 0 || s.written > s.end - s.start + 1) return false;
    next = s.end + 1;
  }
  return next === size;
}
