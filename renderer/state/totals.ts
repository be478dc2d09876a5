// The status bar's totals (downloads per state, combined speed), kept up to date from each batch's
// changes instead of walking all 10,000 snapshots ten times a second. Counts are integers, so
// adding and subtracting is exact; speeds are summed afresh over the few downloads that have one,
// so no rounding error piles up and an idle queue sums to exactly 0.
import type { DownloadStatus } from '../../main/engine/model.js';
import type { DownloadSnapshot } from '../../preload/contract.js';

export interface Totals {
  /** Downloads per status; "probing" counts as downloading (both are using the network). */
  counts: Readonly<Partial<Record<DownloadStatus, number>>>;
  /** Sum of the speeds of every download. */
  speed: number;
  /** The downloads whose speed is not zero, by id: what `speed` is summed over. */
  speeds: ReadonlyMap<number, number>;
}

export const EMPTY_TOTALS: Totals = { counts: {}, speed: 0, speeds: new Map() };

const countedAs = (status: DownloadStatus): DownloadStatus => (status === 'probing' ? 'downloading' : status);

function sum(speeds: ReadonlyMap<number, number>): number {
  let speed = 0;
  for (const s of speeds.values()) speed += s;
  return speed;
}

export function totalsOf(list: Iterable<DownloadSnapshot>): Totals {
  const counts: Partial<Record<DownloadStatus, number>> = {};
  const speeds = new Map<number, number>();
  for (const d of list) {
    const key = countedAs(d.status);
    counts[key] = (counts[key] ?? 0) + 1;
    if (d.speed !== 0) speeds.set(d.id, d.speed);
  }
  return { counts, speed: sum(speeds), speeds };
}

/** The totals after some downloads changed: each change is (before, after), undefined for none. */
export function updateTotals(totals: Totals, changes: readonly [DownloadSnapshot | undefined, DownloadSnapshot | undefined][]): Totals {
  if (changes.length === 0) return totals;
  const counts = { ...totals.counts };
  let speeds: Map<number, number> | null = null;
  for (const [prev, next] of changes) {
    if (prev?.status !== next?.status) {
      if (prev) counts[countedAs(prev.status)]! -= 1;
      if (next) counts[countedAs(next.status)] = (counts[countedAs(next.status)] ?? 0) + 1;
    }
    const id = (next ?? prev)!.id;
    const speed = next?.speed ?? 0;
    if (speed === ((speeds ?? totals.speeds).get(id) ?? 0)) continue;
    speeds ??= new Map(totals.speeds);
    if (speed !== 0) speeds.set(id, speed);
    else speeds.delete(id);
  }
  return speeds ? { counts, speed: sum(speeds), speeds } : { counts, speed: totals.speed, speeds: totals.speeds };
}
