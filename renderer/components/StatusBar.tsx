// Totals at the bottom of the window: the combined speed and how many downloads are in each state.
// The store keeps the totals up to date from each batch (state/totals.ts), so a progress tick costs
// this component a re-render, not a walk over every download.
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
  // "Starting" counts as downloading here: both are using the network.
  const { speed, counts } = useDownloads((s) => s.totals);
  const total = useDownloads((s) => s.order.length);
  const selected = useUi((s) => s.selection.ids.size);

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
