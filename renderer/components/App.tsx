// The window: toolbar, the queue (or the empty state), the selected download's details, totals,
// and whichever dialog is open. Starts the sync with main and the window-wide drop and paste.
import { useEffect } from 'react';
import { useWindowDrop } from '../drop/use-window-drop.js';
import { useDownloads } from '../state/downloads-store.js';
import { useSettings } from '../state/settings-store.js';
import { useUi } from '../state/ui-store.js';
import { startSync } from '../sync.js';
import { AddDialog } from './AddDialog.js';
import { DetailPane } from './DetailPane.js';
import { EmptyState } from './EmptyState.js';
import { Icon } from './Icon.js';
import { Notices } from './Notices.js';
import { QueueList } from './QueueList.js';
import { RemoveDialog } from './RemoveDialog.js';
import { SettingsDialog } from './SettingsDialog.js';
import { StatusBar } from './StatusBar.js';
import { Toolbar } from './Toolbar.js';
import { useVisibleIds } from '../state/visible.js';

function useTheme(): void {
  const theme = useSettings((s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    // "system" leaves the choice to prefers-color-scheme (the stylesheet's light-dark()).
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
}

function Dialogs() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  if (dialog.kind === 'add') return <AddDialog urls={dialog.urls} />;
  if (dialog.kind === 'remove') return <RemoveDialog ids={dialog.ids} />;
  return <SettingsDialog />;
}

function Queue() {
  const loaded = useDownloads((s) => s.loaded);
  const total = useDownloads((s) => s.order.length);
  const shown = useVisibleIds().length;
  if (!loaded) return <div className="queue-loading" aria-busy="true" />;
  if (total === 0) return <EmptyState filtered={false} />;
  if (shown === 0) return <EmptyState filtered />;
  return <QueueList />;
}

export function App() {
  useEffect(() => startSync(), []);
  useTheme();
  const dragging = useWindowDrop();
  const dialogOpen = useUi((s) => s.dialog !== null);

  return (
    <div className="app">
      <div className="app-body" inert={dialogOpen}>
        <Toolbar />
        <main className="content">
          <Queue />
          <DetailPane />
        </main>
        <StatusBar />
      </div>
      <Notices />
      <Dialogs />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <Icon name="download" size={48} />
          <p>Drop to download</p>
        </div>
      )}
    </div>
  );
}
