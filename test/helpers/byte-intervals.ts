// A sorted list of disjoint half-open byte intervals. The fault server records which file bytes
// each response actually sent; with files up to several GiB a per-byte array is out of the
// question, while a download touches at most a few thousand intervals.

export class IntervalSet {
  /** Sorted, disjoint, non-adjacent `[start, end)` pairs. */
  private readonly items: Array<[number, number]> = [];

  get size(): number {
    let total = 0;
    for (const [s, e] of this.items) total += e - s;
    return total;
  }

  /** The intervals, copied, for assertions and debugging. */
  toArray(): Array<[number, number]> {
    return this.items.map(([s, e]) => [s, e]);
  }

  /** Adds `[start, end)`, merging with every interval it touches or overlaps. */
  add(start: number, end: number): void {
    if (end <= start) return;
    let i = this.firstEndingAtOrAfter(start);
    let s = start;
    let e = end;
    let removeCount = 0;
    const at = i;
    while (i < this.items.length) {
      const item = this.items[i]!;
      if (item[0] > e) break;
      s = Math.min(s, item[0]);
      e = Math.max(e, item[1]);
      removeCount++;
      i++;
    }
    this.items.splice(at, removeCount, [s, e]);
  }

  /** The parts of `[start, end)` already in the set. */
  intersect(start: number, end: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = this.firstEndingAtOrAfter(start); i < this.items.length; i++) {
      const [s, e] = this.items[i]!;
      if (s >= end) break;
      const lo = Math.max(s, start);
      const hi = Math.min(e, end);
      if (hi > lo) out.push([lo, hi]);
    }
    return out;
  }

  /** Index of the first interval whose end is >= pos (binary search). */
  private firstEndingAtOrAfter(pos: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]![1] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Tracks bytes sent at least once and at least twice. Adding a range first moves its overlap with
 * `once` into `twice`, so "sent in more than one response" stays exact however ranges interleave.
 */
export class CoverageCounter {
  readonly once = new IntervalSet();
  readonly twice = new IntervalSet();

  add(start: number, end: number): void {
    for (const [s, e] of this.once.intersect(start, end)) this.twice.add(s, e);
    this.once.add(start, end);
  }
}
