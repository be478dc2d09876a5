// One path for every way links arrive (drop, paste, a second launch): pick out the http(s) URLs,
// say plainly what was refused, then either open the Add dialog filled in or add at once, as the
// "what a drop does" setting says.
import { actions } from '../actions.js';
import { useSettings } from '../state/settings-store.js';
import { useUi } from '../state/ui-store.js';
import { extractUrls, REFUSED_SCHEME, type DropInput } from './extract-urls.js';

export type IncomingMode = 'setting' | 'dialog';

export async function receiveLinks(input: DropInput, mode: IncomingMode = 'setting'): Promise<void> {
  const { urls, refused, ignoredFiles } = extractUrls(input);
  const ui = useUi.getState();
  const badScheme = refused.filter((r) => r.reason === REFUSED_SCHEME);
  if (badScheme.length > 0) {
    ui.notify('error', `${REFUSED_SCHEME}; refused: ${badScheme.map((r) => r.input).join(', ')}`);
  }
  for (const r of refused) if (r.reason !== REFUSED_SCHEME) ui.notify('error', `${r.reason}: ${r.input}`);
  if (ignoredFiles.length > 0) {
    ui.notify('info', `Only .txt and .url files are read for links; ignored ${ignoredFiles.join(', ')}`);
  }
  if (urls.length === 0) {
    if (refused.length === 0 && ignoredFiles.length === 0) ui.notify('info', 'Nothing to add: no links found.');
    return;
  }
  const dropAction = useSettings.getState().settings?.dropAction ?? 'ask';
  if (mode === 'setting' && dropAction === 'add') {
    await actions.addNow(urls);
    return;
  }
  // A second drop while the dialog is open adds to what it already lists.
  const open = ui.dialog;
  const merged = open?.kind === 'add' ? [...new Set([...open.urls, ...urls])] : urls;
  ui.openDialog({ kind: 'add', urls: merged });
}
