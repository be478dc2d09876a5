// The engine's queue of queued downloads (main/engine/queued-heap.ts) against the plain answer (sort
// every download, keep the queued ones), through thousands of random queue operations: adds,
// pauses, resumes, moves, removes and starts. Whatever happened before, the next downloads it
// hands out are exactly the first queued ones in queue order, each once.
import { describe, expect, it } from 'vitest';
import type { Download, DownloadStatus } from '../../main/engine/model.js';
import { QueuedHeap } from '../../main/engine/queued-heap.js';

interface Fake {
  id: number;
  position: number;
  status: DownloadStatus;
}

/** A small deterministic PRNG, so a failure replays the same way. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function expected(all: Map<number, Fake>, n: number): number[] {
  return [...all.values()]
    .filter((d) => d.status === 'queued')
    .sort((a, b) => a.position - b.position || a.id - b.id)
    .slice(0, n)
    .map((d) => d.id);
}

describe('QueuedHeap', () => {
  it('hands out the first queued downloads in queue order through random queue operations', () => {
    for (const seed of [1, 2, 3, 42, 2026]) {
      const rnd = random(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const all = new Map<number, Fake>();
      const heap = new QueuedHeap((d) => all.get(d.id) === (d as unknown as Fake));
      const asDownload = (f: Fake) => f as unknown as Download;
      let nextId = 1;
      let handedOut = 0;
      for (let step = 0; step < 3000; step++) {
        const r = rnd();
        const list = [...all.values()];
        if (r < 0.3 || list.length === 0) {
          // add: at the end of the queue, or (as a pasted batch might) with a position already taken
          const d: Fake = { id: nextId++, position: rnd() < 0.8 ? all.size + 1 : Math.floor(rnd() * (all.size + 1)) + 1, status: rnd() < 0.9 ? 'queued' : 'paused' };
          all.set(d.id, d);
          heap.push(asDownload(d));
        } else if (r < 0.4) {
          const d = pick(list);
          if (d.status === 'queued') d.status = 'paused';
        } else if (r < 0.5) {
          const d = pick(list);
          if (d.status === 'paused' || d.status === 'failed') {
            d.status = 'queued';
            heap.push(asDownload(d));
          }
        } else if (r < 0.55) {
          // move: positions change wholesale, the engine rebuilds
          const d = pick(list);
          d.position = Math.floor(rnd() * all.size) + 1;
          heap.rebuild([...all.values()].map(asDownload));
        } else if (r < 0.6) {
          all.delete(pick(list).id);
        } else if (r < 0.65) {
          // a running download ends and is later queued again (a retry)
          const running = list.filter((d) => d.status === 'downloading');
          if (running.length > 0) {
            const d = pick(running);
            d.status = rnd() < 0.5 ? 'completed' : 'failed';
          }
        } else {
          const n = 1 + Math.floor(rnd() * 4);
          const want = expected(all, n);
          const got = heap.take(n).map((d) => d.id);
          expect(got, `seed ${seed}, step ${step}`).toEqual(want);
          for (const id of got) all.get(id)!.status = 'downloading';
          handedOut += got.length;
        }
      }
      expect(handedOut).toBeGreaterThan(100);
      // Whatever is still queued comes out, in order, and nothing else does.
      const rest = expected(all, Infinity);
      expect(heap.take(Infinity).map((d) => d.id)).toEqual(rest);
    }
  });

  it('hands out a download queued twice (paused and resumed) once, and skips removed ones', () => {
    const [a, b, c] = [1, 2, 3].map((id): Fake => ({ id, position: id, status: 'queued' }));
    const current = new Set([a, b, c]);
    const heap = new QueuedHeap((d) => current.has(d as unknown as Fake));
    for (const d of [a, b, c]) heap.push(d as unknown as Download);
    a!.status = 'paused';
    a!.status = 'queued';
    heap.push(a as unknown as Download);
    current.delete(b!);
    expect(heap.take(5).map((d) => d.id)).toEqual([1, 3]);
    expect(heap.take(5)).toEqual([]);
  });

  it('sheds stale entries on rebuild', () => {
    const all: Fake[] = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, position: i + 1, status: 'queued' }));
    const heap = new QueuedHeap(() => true);
    for (const d of all) heap.push(d as unknown as Download);
    for (const d of all) if (d.id % 2 === 0) d.status = 'paused';
    heap.rebuild(all as unknown as Download[]);
    expect(heap.size).toBe(50);
    expect(heap.take(3).map((d) => d.id)).toEqual([1, 3, 5]);
  });
});
