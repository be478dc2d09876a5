// Ferry's main process, assembled: single instance, store, engine, router, IPC, window, tray, menu,
// notifications, and an orderly shutdown that checkpoints every download before the process ends.
// Electron comes in as a parameter, so the glue tests run this very function against a fake.
import path from 'node:path';
import { createEngine } from '../engine/engine.js';
import type { Engine } from '../engine/engine-api.js';
import { createAppSettings, createRouter, createSenderCheck, type Router } from '../ipc/index.js';
import { openStoreRecovering } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { urlsFromArgv } from './argv-urls.js';
import { forwardEvents, registerIpc } from './ipc.js';
import { installAppMenu } from './menu.js';
import { notifyOnFinish } from './notifications.js';
import type { BrowserWindowLike, ElectronPieces } from './pieces.js';
import { applyContentSecurityPolicy, contentSecurityPolicy, denyAllPermissions, hardenAllWebContents } from './security.js';
import { createShellPort } from './shell.js';
import { createTray, type FerryTray } from './tray.js';
import { createMainWindow, keepInTrayOnClose, showWindow } from './window.js';

export interface StartOptions {
  argv: readonly string[];
  platform: NodeJS.Platform;
  /** Vite's URL in development; ignored in a packaged app. */
  devServerUrl?: string | undefined;
}

export interface FerryApp {
  engine: Engine;
  store: Store;
  router: Router;
  tray: FerryTray | null;
  window(): BrowserWindowLike | null;
  /** Stops the engine (checkpointing), closes the database; idempotent. */
  shutdown(): Promise<void>;
}

/** Quitting must not hang on a connection that will not close; progress is checkpointed anyway. */
const SHUTDOWN_TIMEOUT_MS = 5000;

/** Null when another Ferry is already running: it gets our URLs and we quit. */
export async function startFerry(electron: ElectronPieces, options: StartOptions): Promise<FerryApp | null> {
  const { app } = electron;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  const root = app.getAppPath();
  const rendererFile = path.join(root, 'dist', 'renderer', 'index.html');
  const devServerUrl = app.isPackaged ? undefined : options.devServerUrl;
  const isTrustedSender = createSenderCheck({ rendererFile, devServerUrl });
  const isAppUrl = (url: string) => isTrustedSender({ id: -1, url });
  const icon = path.join(root, 'assets', 'icon.png');
  // Before ready, so not even the first window escapes.
  hardenAllWebContents(app, isAppUrl);

  let win: BrowserWindowLike | null = null;
  let quitting = false;
  let pendingUrls = urlsFromArgv(options.argv);
  let loaded = false;

  app.on('second-instance', (_event, argv) => {
    ensureWindow();
    showWindow(win);
    const urls = urlsFromArgv(argv);
    if (urls.length) sendUrls(urls);
  });

  await app.whenReady();
  const session = electron.session.defaultSession;
  applyContentSecurityPolicy(session, contentSecurityPolicy(devServerUrl));
  denyAllPermissions(session);

  let store: Store;
  try {
    // A damaged database is set aside (kept under a dated name) and Ferry starts fresh, saying so.
    const opened = openStoreRecovering(path.join(app.getPath('userData'), 'ferry.db'));
    store = opened.store;
    if (opened.notice) electron.dialog.showErrorBox('Ferry started with an empty list', opened.notice);
  } catch (error) {
    // DB_TOO_NEW and the like: say so and stop, rather than run on a database we cannot trust.
    electron.dialog.showErrorBox('Ferry cannot start', error instanceof Error ? error.message : String(error));
    app.exit(1);
    return null;
  }
  const engine = createEngine({ store });
  engine.start();
  const appSettings = createAppSettings({ store, engine, defaultDirectory: app.getPath('downloads') });
  const router = createRouter({
    engine,
    store,
    appSettings,
    downloadsDir: app.getPath('downloads'),
    shell: createShellPort(electron),
    isTrustedSender,
  });
  const unregisterIpc = registerIpc(electron.ipcMain, router);
  const stopForwarding = forwardEvents(router, () => (win && !win.isDestroyed() ? win.webContents : null));

  function sendUrls(urls: string[]): void {
    if (loaded) router.emit('addUrls', { urls });
    else pendingUrls = [...pendingUrls, ...urls];
  }

  function ensureWindow(): void {
    if (win && !win.isDestroyed()) return;
    loaded = false;
    const created = createMainWindow(electron, {
      preload: path.join(root, 'dist', 'preload', 'index.cjs'),
      renderer: devServerUrl ? { url: devServerUrl } : { file: rendererFile },
      stateFile: path.join(app.getPath('userData'), 'window-state.json'),
      icon,
    });
    win = created;
    keepInTrayOnClose(created, { keepRunningInTray: () => tray !== null && appSettings.get().keepRunningInTray, isQuitting: () => quitting });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    created.webContents.on('did-finish-load', () => {
      loaded = true;
      // URLs from the command line wait until the page can listen for them.
      if (pendingUrls.length) router.emit('addUrls', { urls: pendingUrls });
      pendingUrls = [];
    });
  }

  const quit = (): void => {
    quitting = true;
    app.quit();
  };
  const show = (): void => {
    ensureWindow();
    showWindow(win);
  };

  let tray: FerryTray | null = null;
  try {
    tray = createTray(electron, { engine, iconPath: path.join(root, 'assets', 'tray.png'), showWindow: show, quit });
  } catch (error) {
    // Some Linux desktops have no tray; Ferry then behaves like a normal windowed app.
    console.error('ferry: no tray icon:', error);
  }
  installAppMenu(electron.Menu, {
    platform: options.platform,
    isDev: !app.isPackaged,
    actions: {
      addUrls: () => {
        show();
        sendUrls([]);
      },
      pauseAll: () => void engine.pauseAll().catch((error: unknown) => console.error('ferry: pause all failed:', error)),
      resumeAll: () => engine.resumeAll(),
      quit,
    },
  });
  const stopNotifying = notifyOnFinish(electron.Notification, engine, {
    enabled: () => appSettings.get().notifications,
    onClick: () => show(),
    icon,
  });

  ensureWindow();

  let closing: Promise<void> | null = null;
  function shutdown(): Promise<void> {
    closing ??= (async () => {
      stopNotifying();
      tray?.destroy();
      stopForwarding();
      unregisterIpc();
      router.close();
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
      await Promise.race([engine.close().catch((error: unknown) => console.error('ferry: engine close failed:', error)), timeout]);
      store.close();
    })();
    return closing;
  }

  app.on('before-quit', () => {
    quitting = true;
  });
  let finished = false;
  app.on('will-quit', (event) => {
    if (finished) return;
    // Hold the quit until every download has checkpointed, then quit for real.
    event.preventDefault();
    void shutdown().finally(() => {
      finished = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    // macOS apps stay alive without windows; elsewhere a closed window means quit (the tray case hides instead).
    if (options.platform !== 'darwin') quit();
  });
  app.on('activate', show);

  return { engine, store, router, tray, window: () => win, shutdown };
}
