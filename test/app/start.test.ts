// The whole main process, assembled by startFerry against the fake electron (real engine, real
// SQLite in a temp userData): single instance, secure window, every channel registered, URLs from a
// second launch forwarded, close-to-tray, and a quit that waits for the engine to checkpoint.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFerry, type FerryApp } from '../../main/app/start.js';
import { SECURE_WEB_PREFERENCES } from '../../main/app/window.js';
import { METHODS } from '../../preload/channels.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { waitFor } from '../helpers/wait.js';
import { FakeBrowserWindow, FakeTray, createFakeElectron, type FakeElectron } from './fake-electron.js';

let ferry: FerryApp | null = null;
afterEach(async () => {
  await ferry?.shutdown();
  ferry = null;
  await removeTempDirs();
});

async function launch(argv: string[] = [], configure: (e: FakeElectron) => void = () => {}) {
  const dir = await makeTempDir('ferry-start-');
  const electron = createFakeElectron({ userData: path.join(dir, 'userData'), downloads: path.join(dir, 'Downloads'), appPath: path.join(dir, 'app') });
  electron.app.isPackaged = true;
  configure(electron);
  ferry = await startFerry(electron, { argv, platform: 'linux' });
  const appUrl = pathToFileURL(path.join(dir, 'app', 'dist', 'renderer', 'index.html')).href;
  return { electron, dir, appUrl };
}

describe('startFerry', () => {
  it('quits at once when another Ferry holds the lock', async () => {
    const { electron } = await launch([], (e) => void (e.app.lock = false));
    expect(ferry).toBeNull();
    expect(electron.app.quitCalls).toBe(1);
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('opens one secure window on the packaged renderer and serves every channel to it only', async () => {
    const { electron, dir, appUrl } = await launch();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.options.webPreferences).toEqual({ ...SECURE_WEB_PREFERENCES, preload: path.join(dir, 'app', 'dist', 'preload', 'index.cjs') });
    expect(win.loaded).toEqual({ file: path.join(dir, 'app', 'dist', 'renderer', 'index.html') });
    expect(electron.ipcMain.handlers.size).toBe(METHODS.length);
    expect(await electron.ipcMain.invoke('settings:get', undefined, appUrl)).toMatchObject({
      ok: true,
      value: { downloadDirectory: path.join(dir, 'Downloads'), keepRunningInTray: true },
    });
    expect(await electron.ipcMain.invoke('settings:get', undefined, 'https://evil.example/')).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
    expect(electron.session.defaultSession.headersFor({})?.['Content-Security-Policy']).toEqual([expect.stringContaining("script-src 'self'")]);
    expect(win.webContents.navigate('https://evil.example/')).toBe(false);
    expect(FakeTray.instances[0]?.iconPath).toBe(path.join(dir, 'app', 'assets', 'tray.png'));
    expect(electron.menus.application).not.toBeNull();
  });

  it('hands URLs from the first and a second launch to the page once it has loaded', async () => {
    const { electron } = await launch(['/opt/Ferry/ferry', 'https://example.com/first.iso', '--flag']);
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.webContents.sent).toEqual([]);
    win.webContents.emit('did-finish-load');
    expect(win.webContents.sent).toEqual([{ channel: 'app:addUrls', payload: { urls: ['https://example.com/first.iso'] } }]);
    win.hide();
    electron.app.emit('second-instance', {}, ['/opt/Ferry/ferry', 'https://example.com/second.zip', 'javascript:alert(1)']);
    expect(win.visible).toBe(true);
    expect(win.webContents.sent.at(-1)).toEqual({ channel: 'app:addUrls', payload: { urls: ['https://example.com/second.zip'] } });
  });

  it('keeps running in the tray when the window closes, and quits from the tray menu', async () => {
    const { electron } = await launch();
    const win = FakeBrowserWindow.instances[0]!;
    win.show();
    expect(win.userClose()).toBe(false);
    expect(win.visible).toBe(false);
    const tray = FakeTray.instances[0]!;
    tray.item('Show Ferry').click!({} as never, undefined, {} as never);
    expect(win.visible).toBe(true);
    tray.item('Quit Ferry').click!({} as never, undefined, {} as never);
    // The first quit is held until the engine has stopped and the database is closed.
    expect(electron.app.quitted).toBe(false);
    await waitFor(() => electron.app.quitted, 5000, 'quit after shutdown');
    expect(ferry!.store.db.open).toBe(false);
    expect(tray.destroyed).toBe(true);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('closes the window for real when the tray setting is off', async () => {
    const { appUrl, electron } = await launch();
    await electron.ipcMain.invoke('settings:update', { keepRunningInTray: false }, appUrl);
    expect(FakeBrowserWindow.instances[0]!.userClose()).toBe(true);
  });

  it('says why and exits when the database cannot be opened', async () => {
    const { electron } = await launch([], (e) => {
      // userData is a file, so the database directory cannot be created.
      e.app.paths.userData = '/dev/null/ferry';
    });
    expect(ferry).toBeNull();
    expect(electron.app.exitCode).toBe(1);
    expect(electron.errorBoxes[0]?.title).toBe('Ferry cannot start');
  });
});
