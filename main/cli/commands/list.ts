// `ferry list`: the downloads in the database, as a table or JSON.
import type { Download } from '../../engine/model.js';
import { maskCredentials } from '../../engine/url-policy.js';
import { EXIT } from '../program.js';
import { formatBytes } from '../format.js';
import { openStore } from '../session.js';

export function runList({ db, json }: { db?: string; json: boolean }): number {
  const store = openStore(db);
  try {
    const totals = store.segments.totals();
    const rows = store.downloads.list().map((d) => ({
      ...d,
      url: maskCredentials(d.url),
      finalUrl: d.finalUrl === null ? null : maskCredentials(d.finalUrl),
      downloaded: downloadedOf(d, totals),
    }));
    if (json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT.ok;
    }
    if (rows.length === 0) {
      process.stdout.write('No downloads.\n');
      return EXIT.ok;
    }
    const lines = [['ID', 'STATUS', 'PROGRESS', 'SIZE', 'NAME', 'NOTE']];
    for (const d of rows) {
      const pct = d.size ? `${Math.floor((d.downloaded / d.size) * 100)}%` : d.status === 'completed' ? '100%' : '-';
      lines.push([String(d.id), d.status, pct, formatBytes(d.size), d.fileName ?? d.url, d.error ? `${d.error.message} (${d.error.code})` : '']);
    }
    const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
    for (const l of lines) process.stdout.write(`${l.map((c, i) => (i === l.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()}\n`);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

function downloadedOf(d: Download, totals: Map<number, number>): number {
  return d.status === 'completed' ? (d.size ?? 0) : (totals.get(d.id) ?? 0);
}
