// Keeps the window's copy of the queue in step with main: subscribe to progress first, then ask
// for the whole list, so nothing that changes in between is lost; batches that arrive before the
// list answers are held and applied after it (stale ones are skipped by their updatedAt).
import type { ProgressBatch } from '../preload/contract.js';
import { call, ferry, messageOf } from './ferry.js';
import { receiveLinks } from './drop/incoming.js';
import { useDownloads } from './state/downloads-store.js';
import { pruneSelection } from './state/selection.js';
import { useSettings } from './state/settings-store.js';
import { useUi } from './state/ui-store.js';

export function startSync(): () => void {
  const api = ferry();
  let held: ProgressBatch[] | null = [];
  let stopped = false;

  const offProgress = api.on('progress', (batch) => {
    if (held) held.push(batch);
    else applyAndPrune(batch);
  });
  // A second launch or the tray passing links on: always show them in the dialog first.
  const offAddUrls = api.on('addUrls', ({ urls }) => void receiveLinks({ uriList: urls.join('\n') }, 'dialog'));

  call(api.list())
    .then((list) => {
      if (stopped) return;
      useDownloads.getState().load(list);
      const pending = held ?? [];
      held = null;
      for (const batch of pending) applyAndPrune(batch);
    })
    .catch((error: unknown) => useUi.getState().notify('error', `Could not load the downloads: ${messageOf(error)}`));

  call(api.getSettings())
    .then((settings) => !stopped && useSettings.getState().setSettings(settings))
    .catch((error: unknown) => useUi.getState().notify('error', `Could not load the settings: ${messageOf(error)}`));

  return () => {
    stopped = true;
    offProgress();
    offAddUrls();
  };
}

function applyAndPrune(batch: ProgressBatch): void {
  useDownloads.getState().apply(batch);
  if (batch.removed.length === 0) return;
  // A removed download cannot stay selected (Delete would try to remove it again).
  const { byId } = useDownloads.getState();
  const ui = useUi.getState();
  const selection = pruneSelection(ui.selection, (id) => id in byId);
  if (selection !== ui.selection) ui.setSelection(selection);
}
