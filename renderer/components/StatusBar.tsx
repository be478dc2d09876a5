// Totals at the bottom of the window: the combined speed and how many downloads are in each state.
// Computed from the snapshots on each batch; 10,000 additions ten times a second is nothing.
import { useMemo } from 'react';
import type { DownloadStatus } from '../../main/engine/model.js';
import { formatSpeed } from '../format/bytes.js';
import { useDownloads } from '../state/downloads-store.js';
import { useUi } from '../state/ui-store.js';

const SHOWN: [DownloadStatus, string][] = [
  ['downloading', 'downloading'],
  ['queued', 'queued'],
  ['paused', 'paused'],
  ['completed', 'completed'],
  ['failed', 'failed'],
];

export function StatusBar() {
  const byId = useDownloads((s) => s.byId);
  const total = useDownloads((s) => s.order.length);
  const selected = useUi((s) => s.selection.ids.size);
  const { speed, counts } = useMemo(() => {
    let speed = 0;
    const counts: Partial<Record<DownloadStatus, number>> = {};
    for (const d of Object.values(byId)) {
      speed += d.speed;
      // "Starting" counts as downloading here: both are using the network.
      const key = d.status === 'probing' ? 'downloading' : d.status;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return { speed, counts };
  }, [byId]);

  const parts = SHOWN.filter(([status]) => counts[status]).map(([status, word]) => `${counts[status]} ${word}`);
  return (
    <footer className="statusbar" aria-label="Totals">
      <span className="total-speed num" aria-label="Total speed">
        {formatSpeed(speed) || 'Idle'}
      </span>
      <span className="counts" role="status">
        {total === 0 ? 'No downloads' : [...parts, `${total} total`].join(' · ')}
      </span>
      {selected > 0 && <span className="selected-count">{selected} selected</span>}
    </footer>
  );
}
