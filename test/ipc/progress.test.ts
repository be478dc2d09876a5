// Progress reaches the window at most about 10 times a second, however fast the engine reports,
// and merging never loses the latest state of a download or a removal.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressBatch } from '../../main/engine/engine-api.js';
import type { DownloadSnapshot } from '../../main/engine/model.js';
import { createProgressBatcher } from '../../main/ipc/progress-batcher.js';
import type { AddResponse } from '../../preload/contract.js';
import { removeTempDirs } from '../helpers/files.js';
import { createHarness, type Harness } from './harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// Only the fields the batcher reads; the rest of a snapshot is irrelevant to merging.
const snap = (id: number, downloaded: number) => ({ id, downloaded }) as DownloadSnapshot;

describe('createProgressBatcher', () => {
  it('sends at most one message per interval over a burst of 1000 pushes', async () => {
    const out: ProgressBatch[] = [];
    const batcher = createProgressBatcher(100, (b) => out.push(b));
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < 1000) {
      batcher.push({ updated: [snap(1 + (n % 5), n)], removed: [] });
      n++;
      await sleep(1);
    }
    await sleep(150);
    batcher.close();
    expect(n).toBeGreaterThan(100);
    expect(out.length).toBeLessThanOrEqual(12);
    expect(out.length).toBeGreaterThanOrEqual(5);
    // The last state of every id made it out.
    const last = new Map<number, number>();
    for (const b of out) for (const d of b.updated) last.set(d.id, d.downloaded);
    for (let k = n - 5; k < n; k++) expect(last.get(1 + (k % 5))).toBe(k);
  });

  it('merges: latest snapshot per id wins, removals accumulate and cancel pending updates', async () => {
    const out: ProgressBatch[] = [];
    const batcher = createProgressBatcher(50, (b) => out.push(b));
    batcher.push({ updated: [snap(1, 1)], removed: [] }); // leading edge: sent at once
    expect(out).toHaveLength(1);
    batcher.push({ updated: [snap(1, 2), snap(2, 5)], removed: [] });
    batcher.push({ updated: [snap(1, 3), snap(3, 1)], removed: [9] });
    batcher.push({ updated: [], removed: [2, 8] });
    expect(out).toHaveLength(1);
    await sleep(80);
    batcher.close();
    expect(out).toHaveLength(2);
    expect(out[1]!.updated.map((d) => [d.id, d.downloaded]).sort()).toEqual([
      [1, 3],
      [3, 1],
    ]);
    expect(out[1]!.removed.sort()).toEqual([2, 8, 9]);
  });

  it('sends nothing after close', async () => {
    const out: ProgressBatch[] = [];
    const batcher = createProgressBatcher(20, (b) => out.push(b));
    batcher.push({ updated: [snap(1, 1)], removed: [] });
    batcher.push({ updated: [snap(1, 2)], removed: [] });
    batcher.close();
    await sleep(50);
    expect(out).toHaveLength(1);
  });
});

describe('router progress over a real engine', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await removeTempDirs();
  });

  // Reordering the queue changes every moved download's position, and the engine (set to report
  // every 5 ms here) sends a batch for each tick with a change: a flood the router must thin out.
  it('forwards ≤ ~11 messages a second while the engine reports every 5 ms, and the last state wins', async () => {
    h = await createHarness({ engine: { progressIntervalMs: 5 } });
    const ha = h;
    const res = await ha.call<AddResponse>('downloads:add', { urls: Array.from({ length: 20 }, (_, i) => `http://127.0.0.1:9/f${i}`), paused: true });
    const ids = res.added.map((d) => d.id);
    await sleep(50);
    const engineTimes: number[] = [];
    const routerTimes: number[] = [];
    const latest = new Map<number, DownloadSnapshot>();
    ha.engine.on('progress', () => engineTimes.push(performance.now()));
    ha.router.subscribe((channel, payload) => {
      if (channel !== 'downloads:progress') return;
      routerTimes.push(performance.now());
      for (const d of (payload as ProgressBatch).updated) latest.set(d.id, d);
    });
    const from = performance.now();
    for (let i = 0; performance.now() - from < 1000; i++) {
      await ha.call('downloads:move', { id: ids[i % ids.length], toIndex: 0 });
      await sleep(2);
    }
    await sleep(150);
    const inWindow = (times: number[]) => times.filter((t) => t >= from && t < from + 1000).length;
    // The engine really did flood: otherwise this test could not tell a batching router from a relay.
    expect(inWindow(engineTimes)).toBeGreaterThan(40);
    expect(inWindow(routerTimes)).toBeLessThanOrEqual(11);
    expect(inWindow(routerTimes)).toBeGreaterThanOrEqual(5);
    for (const d of ha.engine.list()) expect(latest.get(d.id)?.position).toBe(d.position);
  });
});
