// The rows the list shows: the queue order narrowed by the status filter and the search box.
// With no filter and no search the queue order itself is returned (same array), so the list
// re-lays out only when the set of downloads changes, not on every progress tick.
import { useMemo, useRef } from 'react';
import type { DownloadSnapshot } from '../../preload/contract.js';
import { displayName } from '../format/status.js';
import { useDownloads } from './downloads-store.js';
import { useUi, type StatusFilter } from './ui-store.js';

export function matchesFilter(d: DownloadSnapshot, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (filter === 'active') return d.status === 'queued' || d.status === 'probing' || d.status === 'downloading';
  if (filter === 'downloading') return d.status === 'downloading' || d.status === 'probing';
  return d.status === filter;
}

export function visibleIds(
  order: readonly number[],
  byId: Readonly<Record<number, DownloadSnapshot>>,
  filter: StatusFilter,
  search: string,
): readonly number[] {
  const needle = search.trim().toLowerCase();
  if (filter === 'all' && needle === '') return order;
  return order.filter((id) => {
    const d = byId[id];
    if (!d || !matchesFilter(d, filter)) return false;
    return needle === '' || displayName(d).toLowerCase().includes(needle) || d.url.toLowerCase().includes(needle);
  });
}

export function useVisibleIds(): readonly number[] {
  const filter = useUi((s) => s.filter);
  const search = useUi((s) => s.search);
  const filtering = filter !== 'all' || search.trim() !== '';
  const order = useDownloads((s) => s.order);
  // Only subscribe to every snapshot when a filter needs them (a status change moves a row in or out).
  const byId = useDownloads((s) => (filtering ? s.byId : null));
  const previous = useRef<readonly number[]>(order);
  return useMemo(() => {
    const next = byId ? visibleIds(order, byId, filter, search) : order;
    // A tick that changed bytes but not which rows match keeps the old array, so the list stays put.
    if (sameIds(previous.current, next)) return previous.current;
    previous.current = next;
    return next;
  }, [order, byId, filter, search]);
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
