// What the tray says: counts by status and the total speed, as one short line for the menu and a
// fuller tooltip. Pure, so the wording is tested without a tray.
import type { DownloadStatus } from '../engine/model.js';

export interface TrayTotals {
  downloading: number;
  queued: number;
  paused: number;
  completed: number;
  failed: number;
  /** Bytes per second over all downloads. */
  speed: number;
}

export function summarize(downloads: Iterable<{ status: DownloadStatus; speed: number }>): TrayTotals {
  const t: TrayTotals = { downloading: 0, queued: 0, paused: 0, completed: 0, failed: 0, speed: 0 };
  for (const d of downloads) {
    if (d.status === 'downloading' || d.status === 'probing') {
      t.downloading++;
      t.speed += d.speed;
    } else if (d.status === 'queued') t.queued++;
    else if (d.status === 'paused') t.paused++;
    else if (d.status === 'completed') t.completed++;
    else if (d.status === 'failed') t.failed++;
  }
  return t;
}

/** Decimal units, as browsers and OS download dialogs show speeds: "12.4 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  const units = ['B/s', 'kB/s', 'MB/s', 'GB/s'];
  let v = Math.max(0, bytesPerSecond);
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)} ${units[0]}` : `${v.toFixed(v < 100 ? 1 : 0)} ${units[i]}`;
}

/** "3 downloading · 12.4 MB/s", or what is waiting when nothing moves. */
export function statusLine(t: TrayTotals): string {
  if (t.downloading > 0) return `${t.downloading} downloading · ${formatRate(t.speed)}`;
  if (t.queued > 0) return `${t.queued} queued`;
  if (t.paused > 0) return `${t.paused} paused`;
  return 'Nothing downloading';
}

export function tooltip(t: TrayTotals): string {
  const rest = [
    t.queued && `${t.queued} queued`,
    t.paused && `${t.paused} paused`,
    t.completed && `${t.completed} completed`,
    t.failed && `${t.failed} failed`,
  ].filter(Boolean);
  return ['Ferry', statusLine(t), ...(rest.length ? [rest.join(' · ')] : [])].join('\n');
}
