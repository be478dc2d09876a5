// The queue as the window knows it: snapshots normalized by id plus the queue order, fed once by
// `list()` and then by progress batches. Batches are patches: a row's component selects its own
// snapshot by id, so a batch re-renders only the rows it touched, and `order` keeps its identity
// unless the set of downloads or their positions changed (the list does not re-lay out on every tick).
import { create } from 'zustand';
import type { DownloadSnapshot, ProgressBatch } from '../../preload/contract.js';
import { EMPTY_TOTALS, totalsOf, updateTotals, type Totals } from './totals.js';

export interface QueueState {
  byId: Readonly<Record<number, DownloadSnapshot>>;
  /** Ids in queue order (by position, then id). */
  order: readonly number[];
  /** `list()` has answered; before that the window shows neither rows nor the empty state. */
  loaded: boolean;
  /** Per-status counts and the combined speed, updated from each batch's changes. */
  totals: Totals;
}

export interface DownloadsStore extends QueueState {
  load(list: readonly DownloadSnapshot[]): void;
  apply(batch: ProgressBatch): void;
}

export const EMPTY_QUEUE: QueueState = { byId: {}, order: [], loaded: false, totals: EMPTY_TOTALS };

function byPosition(byId: QueueState['byId']) {
  return (a: number, b: number) => {
    const da = byId[a]!;
    const db = byId[b]!;
    return da.position - db.position || a - b;
  };
}

export function loadQueue(list: readonly DownloadSnapshot[]): QueueState {
  const byId: Record<number, DownloadSnapshot> = {};
  for (const d of list) byId[d.id] = d;
  const order = Object.keys(byId).map(Number);
  order.sort(byPosition(byId));
  return { byId, order, loaded: true, totals: totalsOf(Object.values(byId)) };
}

/** Applies one batch; returns the same state object when nothing in it changed anything. */
export function applyBatch(state: QueueState, batch: ProgressBatch): QueueState {
  if (batch.updated.length === 0 && batch.removed.length === 0) return state;
  const byId: Record<number, DownloadSnapshot> = { ...state.byId };
  let reorder = false;
  let removedAny = false;
  const changes: [DownloadSnapshot | undefined, DownloadSnapshot | undefined][] = [];
  for (const id of batch.removed) {
    if (id in byId) {
      changes.push([byId[id], undefined]);
      delete byId[id];
      removedAny = true;
    }
  }
  for (const next of batch.updated) {
    const prev = byId[next.id];
    // A snapshot older than the one we hold (a batch queued before `list()` answered) is stale.
    if (prev && next.updatedAt < prev.updatedAt) continue;
    if (!prev || prev.position !== next.position) reorder = true;
    changes.push([prev, next]);
    byId[next.id] = next;
  }
  let order = state.order;
  if (reorder) {
    order = Object.keys(byId).map(Number);
    (order as number[]).sort(byPosition(byId));
  } else if (removedAny) {
    order = order.filter((id) => id in byId);
  }
  return { byId, order, loaded: state.loaded, totals: updateTotals(state.totals, changes) };
}

export const useDownloads = create<DownloadsStore>()((set) => ({
  ...EMPTY_QUEUE,
  load: (list) => set(loadQueue(list)),
  apply: (batch) => set((state) => applyBatch(state, batch)),
}));
