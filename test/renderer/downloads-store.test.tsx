// The queue store applying progress batches: a patch replaces one snapshot, removals drop rows,
// order follows positions, and a batch that changes nothing keeps every identity (no re-render).
import { describe, expect, it } from 'vitest';
import { applyBatch, EMPTY_QUEUE, loadQueue, useDownloads } from '../../renderer/state/downloads-store.js';
import { snapshot } from './fake-ferry.js';

describe('loadQueue', () => {
  it('orders by position, then id', () => {
    const q = loadQueue([snapshot({ id: 3, position: 1 }), snapshot({ id: 1, position: 2 }), snapshot({ id: 2, position: 2 })]);
    expect(q.order).toEqual([3, 1, 2]);
    expect(q.loaded).toBe(true);
  });
});

describe('applyBatch', () => {
  const base = loadQueue([1, 2, 3].map((id) => snapshot({ id })));

  it('patches one download and keeps the order array when positions did not move', () => {
    const next = applyBatch(base, { updated: [snapshot({ id: 2, status: 'downloading', downloaded: 500, updatedAt: 2 })], removed: [] });
    expect(next.byId[2]!.downloaded).toBe(500);
    expect(next.byId[2]!.status).toBe('downloading');
    expect(next.byId[1]).toBe(base.byId[1]);
    expect(next.order).toBe(base.order);
  });

  it('removes downloads and their place in the order', () => {
    const next = applyBatch(base, { updated: [], removed: [2, 99] });
    expect(next.order).toEqual([1, 3]);
    expect(next.byId[2]).toBeUndefined();
  });

  it('adds new downloads in position order', () => {
    const next = applyBatch(base, { updated: [snapshot({ id: 4, position: 0 })], removed: [] });
    expect(next.order).toEqual([4, 1, 2, 3]);
  });

  it('re-sorts when a move changes positions', () => {
    const next = applyBatch(base, {
      updated: [snapshot({ id: 3, position: 1, updatedAt: 2 }), snapshot({ id: 1, position: 2, updatedAt: 2 }), snapshot({ id: 2, position: 3, updatedAt: 2 })],
      removed: [],
    });
    expect(next.order).toEqual([3, 1, 2]);
  });

  it('ignores a snapshot older than the one it holds', () => {
    const fresh = applyBatch(base, { updated: [snapshot({ id: 1, status: 'completed', updatedAt: 5 })], removed: [] });
    const stale = applyBatch(fresh, { updated: [snapshot({ id: 1, status: 'downloading', updatedAt: 4 })], removed: [] });
    expect(stale.byId[1]!.status).toBe('completed');
  });

  it('an update and a removal of the same id in one batch: the removal is applied first, the update re-adds', () => {
    // The router's batcher never sends both; if it did, the newest fact (the snapshot) wins.
    const next = applyBatch(base, { updated: [snapshot({ id: 2, updatedAt: 3 })], removed: [2] });
    expect(next.order).toEqual([1, 2, 3]);
  });

  it('returns the same state for an empty batch', () => {
    expect(applyBatch(base, { updated: [], removed: [] })).toBe(base);
  });

  it('works from the empty queue', () => {
    const next = applyBatch(EMPTY_QUEUE, { updated: [snapshot({ id: 7 })], removed: [] });
    expect(next.order).toEqual([7]);
  });
});

describe('the zustand store', () => {
  it('loads, then applies batches', () => {
    const store = useDownloads.getState();
    store.load([snapshot({ id: 1 }), snapshot({ id: 2 })]);
    useDownloads.getState().apply({ updated: [snapshot({ id: 1, downloaded: 10, updatedAt: 2 })], removed: [2] });
    const s = useDownloads.getState();
    expect(s.order).toEqual([1]);
    expect(s.byId[1]!.downloaded).toBe(10);
  });
});
