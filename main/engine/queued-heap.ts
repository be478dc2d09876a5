// The queued downloads in queue order (position, then id), as a binary min-heap, so that starting
// the next download costs O(log n) instead of a scan of every download the engine knows. A slot
// frees up each time a download ends: with `ferry get -i` and 100,000 URLs the scan made the whole
// run quadratic (10^10 comparisons), and with a 10,000-download queue in the window each finished
// download walked all 10,000.
//
// Entries are snapshots of (download, position) and are never updated in place: a download that is
// queued again is pushed again, and an entry whose download has since left the queue or been
// removed is dropped when it reaches the top (lazy deletion; `isCurrent` says which are removed).
// Positions change only by a move, after which the engine rebuilds the heap.
import type { Download } from './model.js';

interface Entry {
  d: Download;
  position: number;
}

const before = (a: Entry, b: Entry) => a.position - b.position || a.d.id - b.d.id;

export class QueuedHeap {
  private heap: Entry[] = [];

  /** `isCurrent(d)`: d is still one of the engine's downloads (not removed). */
  constructor(private readonly isCurrent: (d: Download) => boolean) {}

  get size(): number {
    return this.heap.length;
  }

  /** Records that `d` is queued at its current position (a no-op for a download that is not queued). */
  push(d: Download): void {
    if (d.status !== 'queued') return;
    this.heap.push({ d, position: d.position });
    this.up(this.heap.length - 1);
  }

  /** Starts over from `all` (after positions changed wholesale, or to shed stale entries). O(n). */
  rebuild(all: Iterable<Download>): void {
    this.heap = [];
    for (const d of all) if (d.status === 'queued') this.heap.push({ d, position: d.position });
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /**
   * Removes and returns up to `n` distinct queued downloads, first in queue order first. The caller
   * starts them; one it does not start must be pushed back.
   */
  take(n: number): Download[] {
    const out: Download[] = [];
    const taken = new Set<Download>();
    while (out.length < n && this.heap.length > 0) {
      const { d } = this.pop();
      if (d.status !== 'queued' || taken.has(d) || !this.isCurrent(d)) continue;
      taken.add(d);
      out.push(d);
    }
    return out;
  }

  private pop(): Entry {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    const e = h[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(e, h[parent]!) >= 0) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = e;
  }

  private down(i: number): void {
    const h = this.heap;
    const e = h[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= h.length) break;
      if (child + 1 < h.length && before(h[child + 1]!, h[child]!) < 0) child++;
      if (before(h[child]!, e) >= 0) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = e;
  }
}
