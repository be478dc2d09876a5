// The tray icon: Show Ferry, Pause all, Resume all, a live status line, Quit; the tooltip has the
// totals. It keeps its own status-by-id map fed by the engine's progress batches, so refreshing it
// costs nothing with 10,000 downloads, and rebuilds the menu at most once a second (and only when
// its text changed: some Linux trays flicker on every rebuild).
import type { Engine } from '../engine/engine-api.js';
import type { DownloadStatus } from '../engine/model.js';
import type { MenuPiece, MenuTemplate, TrayLike, TrayPiece } from './pieces.js';
import { statusLine, summarize, tooltip, type TrayTotals } from './tray-status.js';

export interface TrayOptions {
  engine: Engine;
  iconPath: string;
  showWindow(): void;
  quit(): void;
  /** Minimum time between menu rebuilds; default 1000 ms. */
  refreshMs?: number;
}

export interface FerryTray {
  readonly tray: TrayLike;
  /** Rebuilds the menu and tooltip now, if anything changed. */
  refresh(): void;
  totals(): TrayTotals;
  destroy(): void;
}

export function createTray(
  pieces: { Tray: TrayPiece; Menu: Pick<MenuPiece, 'buildFromTemplate'> },
  options: TrayOptions,
): FerryTray {
  const { engine } = options;
  const tray = new pieces.Tray(options.iconPath);
  const state = new Map<number, { status: DownloadStatus; speed: number }>();
  for (const d of engine.list()) state.set(d.id, { status: d.status, speed: d.speed });
  let shown = '';
  let dirty = true;

  const pauseAll = (): void => {
    engine.pauseAll().catch((error: unknown) => console.error('ferry: pause all failed:', error));
  };

  function template(t: TrayTotals): MenuTemplate {
    return [
      { label: 'Show Ferry', click: () => options.showWindow() },
      { type: 'separator' },
      { label: statusLine(t), enabled: false },
      { type: 'separator' },
      { label: 'Pause all', enabled: t.downloading + t.queued > 0, click: pauseAll },
      { label: 'Resume all', enabled: t.paused > 0, click: () => engine.resumeAll() },
      { type: 'separator' },
      { label: 'Quit Ferry', click: () => options.quit() },
    ];
  }

  function refresh(): void {
    if (!dirty) return;
    dirty = false;
    const t = summarize(state.values());
    const items = template(t);
    // Rebuilt only when what the user sees changed (labels and enabled states).
    const key = JSON.stringify(items.map((i) => [i.label, i.enabled]));
    if (key === shown) return;
    shown = key;
    tray.setToolTip(tooltip(t));
    tray.setContextMenu(pieces.Menu.buildFromTemplate(items));
  }

  const off = engine.on('progress', (batch) => {
    for (const d of batch.updated) state.set(d.id, { status: d.status, speed: d.speed });
    for (const id of batch.removed) state.delete(id);
    dirty = true;
  });
  const timer = setInterval(refresh, options.refreshMs ?? 1000);
  timer.unref();
  tray.on('click', () => options.showWindow());
  refresh();

  return {
    tray,
    refresh,
    totals: () => summarize(state.values()),
    destroy() {
      off();
      clearInterval(timer);
      tray.destroy();
    },
  };
}
