// The main window: sandboxed, isolated, no Node, no webviews; size and place remembered; closing
// it hides it to the tray when the user wants downloads to keep running.
import { DEFAULT_STATE, MIN_SIZE, loadWindowState, trackWindowState } from './window-state.js';
import type { BrowserWindowConstructorOptions, BrowserWindowLike, BrowserWindowPiece, ScreenPiece } from './pieces.js';

/** The renderer is a web page with one bridge (the preload); nothing more. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  // Dropped links are the renderer's to handle; a drop must never navigate the window away.
  navigateOnDragDrop: false,
  spellcheck: false,
} as const satisfies BrowserWindowConstructorOptions['webPreferences'];

export type RendererSource = { file: string } | { url: string };

export interface MainWindowOptions {
  preload: string;
  renderer: RendererSource;
  stateFile: string;
  icon?: string;
}

export function createMainWindow(
  pieces: { BrowserWindow: BrowserWindowPiece; screen: ScreenPiece },
  options: MainWindowOptions,
): BrowserWindowLike {
  const state = loadWindowState(options.stateFile, pieces.screen.getAllDisplays().map((d) => d.workArea));
  const win = new pieces.BrowserWindow({
    title: 'Ferry',
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width ?? DEFAULT_STATE.width,
    height: state.height ?? DEFAULT_STATE.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    // Shown once painted, so the user never sees a white flash before the UI.
    show: false,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: options.preload },
  });
  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });
  trackWindowState(win, options.stateFile);
  const loading = 'file' in options.renderer ? win.loadFile(options.renderer.file) : win.loadURL(options.renderer.url);
  loading.catch((error: unknown) => console.error('ferry: the window could not load its page:', error));
  return win;
}

export function showWindow(win: BrowserWindowLike | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/**
 * Closing the window hides it while downloads should keep running in the tray; a real quit
 * (menu, tray, OS shutdown) sets `isQuitting` first and the window closes for good.
 */
export function keepInTrayOnClose(win: BrowserWindowLike, when: { keepRunningInTray: () => boolean; isQuitting: () => boolean }): void {
  win.on('close', (event) => {
    if (when.isQuitting() || !when.keepRunningInTray()) return;
    event.preventDefault();
    win.hide();
  });
}
