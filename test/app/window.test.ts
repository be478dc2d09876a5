// The window: created with the secure options, shown only once painted, its place remembered (and
// forgotten when it would be off screen), and hidden rather than closed while the tray keeps Ferry running.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECURE_WEB_PREFERENCES, createMainWindow, keepInTrayOnClose, showWindow } from '../../main/app/window.js';
import { DEFAULT_STATE, loadWindowState } from '../../main/app/window-state.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { createFakeElectron, FakeBrowserWindow } from './fake-electron.js';

afterEach(removeTempDirs);

async function open(stateFile: string) {
  const electron = createFakeElectron({ userData: '/u', downloads: '/d', appPath: '/a' });
  const win = createMainWindow(electron, { preload: '/app/dist/preload/index.cjs', renderer: { file: '/app/dist/renderer/index.html' }, stateFile, icon: '/app/assets/icon.png' });
  await Promise.resolve();
  return { win: win as FakeBrowserWindow, fake: FakeBrowserWindow.instances[0]! };
}

describe('main window', () => {
  it('is sandboxed and isolated, with no Node, no webviews and the bundled preload', async () => {
    const dir = await makeTempDir();
    const { fake } = await open(path.join(dir, 'state.json'));
    expect(fake.options.webPreferences).toEqual({ ...SECURE_WEB_PREFERENCES, preload: '/app/dist/preload/index.cjs' });
    expect(fake.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
    expect(fake.loaded).toEqual({ file: '/app/dist/renderer/index.html' });
    expect(fake.options.show).toBe(false);
    expect(fake.visible).toBe(false);
    fake.emit('ready-to-show');
    expect(fake.visible).toBe(true);
  });

  it('remembers its bounds across launches', async () => {
    const dir = await makeTempDir();
    const stateFile = path.join(dir, 'state.json');
    const first = await open(stateFile);
    first.fake.bounds = { x: 100, y: 80, width: 900, height: 650 };
    first.fake.maximized = true;
    first.fake.userClose();
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toEqual({ x: 100, y: 80, width: 900, height: 650, maximized: true });
    const second = await open(stateFile);
    expect(second.fake.options).toMatchObject({ x: 100, y: 80, width: 900, height: 650 });
    second.fake.emit('ready-to-show');
    expect(second.fake.maximized).toBe(true);
  });

  it('drops a position no display shows, and ignores a damaged file', async () => {
    const dir = await makeTempDir();
    const stateFile = path.join(dir, 'state.json');
    await writeFile(stateFile, JSON.stringify({ x: 5000, y: 3000, width: 900, height: 650, maximized: false }));
    expect(loadWindowState(stateFile, [{ x: 0, y: 0, width: 1920, height: 1080 }])).toEqual({ width: 900, height: 650, maximized: false });
    await writeFile(stateFile, '{"x": 1, "width": "huge"');
    expect(loadWindowState(stateFile, [{ x: 0, y: 0, width: 1920, height: 1080 }])).toEqual(DEFAULT_STATE);
    await writeFile(stateFile, JSON.stringify({ width: 10, height: 10, maximized: false }));
    expect(loadWindowState(stateFile, [])).toEqual(DEFAULT_STATE);
  });

  it('hides instead of closing while the tray setting is on, and closes when quitting', async () => {
    const dir = await makeTempDir();
    const { fake } = await open(path.join(dir, 'state.json'));
    let keep = true;
    let quitting = false;
    keepInTrayOnClose(fake, { keepRunningInTray: () => keep, isQuitting: () => quitting });
    fake.show();
    expect(fake.userClose()).toBe(false);
    expect(fake.visible).toBe(false);
    showWindow(fake);
    expect([fake.visible, fake.focused]).toEqual([true, true]);
    keep = false;
    quitting = false;
    expect(fake.userClose()).toBe(true);
  });

  it('closes for real on quit even with the setting on', async () => {
    const dir = await makeTempDir();
    const { fake } = await open(path.join(dir, 'state.json'));
    keepInTrayOnClose(fake, { keepRunningInTray: () => true, isQuitting: () => true });
    expect(fake.userClose()).toBe(true);
  });
});
