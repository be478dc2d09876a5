// Settings through the router: engine keys reach the engine, app keys persist in SQLite across a
// restart, the folder changes only through main's picker, and damaged stored values fall back.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppSettings, FolderChoice } from '../../preload/contract.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { createHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await removeTempDirs();
});

describe('settings over the router', () => {
  it('starts from the defaults, with the OS downloads folder', async () => {
    h = await createHarness();
    expect(await h.call<AppSettings>('settings:get')).toEqual({
      downloadDirectory: h.downloadsDir,
      maxConcurrent: 3,
      connections: 8,
      adaptiveConnections: true,
      dropAction: 'ask',
      keepRunningInTray: true,
      notifications: true,
      theme: 'system',
    });
    expect(await h.call<FolderChoice>('folders:default')).toEqual({ folderId: 'default', path: h.downloadsDir });
  });

  it('updates engine and app settings and keeps them across a restart', async () => {
    h = await createHarness();
    const dir = h.dir;
    const patch = { maxConcurrent: 5, connections: 4, adaptiveConnections: false, dropAction: 'add', keepRunningInTray: false, notifications: false, theme: 'dark' } as const;
    const updated = await h.call<AppSettings>('settings:update', patch);
    expect(updated).toMatchObject(patch);
    // Off: no download tries fewer connections, whatever its speed.
    expect(h.engine.settings()).toMatchObject({ maxConcurrent: 5, connections: 4, connectionTrialAbove: 0 });
    const partial = await h.call<AppSettings>('settings:update', { theme: 'light' });
    expect(partial).toMatchObject({ ...patch, theme: 'light' });
    await h.close();

    h = await createHarness({ dir });
    expect(await h.call<AppSettings>('settings:get')).toMatchObject({ ...patch, theme: 'light' });
  });

  it('changes the download folder only through the picker, and a cancel keeps it', async () => {
    h = await createHarness();
    const picked = await makeTempDir('ferry-folder-');
    h.shell.picks.push(null, picked);
    expect((await h.call<AppSettings>('settings:pickDownloadFolder')).downloadDirectory).toBe(h.downloadsDir);
    expect((await h.call<AppSettings>('settings:pickDownloadFolder')).downloadDirectory).toBe(picked);
    expect(await h.call<FolderChoice>('folders:default')).toEqual({ folderId: 'default', path: picked });
    const refused = await h.router.handle('settings:update', { downloadDirectory: '/tmp' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect((await h.call<AppSettings>('settings:get')).downloadDirectory).toBe(picked);
  });

  it('ignores damaged or hostile stored values', async () => {
    h = await createHarness();
    h.store.settings.put('app.theme', 'neon');
    h.store.settings.put('app.downloadDirectory', 'relative/dir');
    h.store.settings.put('app.keepRunningInTray', 'yes');
    h.store.db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('app.dropAction', '{not json')").run();
    expect(await h.call<AppSettings>('settings:get')).toMatchObject({
      theme: 'system',
      downloadDirectory: h.downloadsDir,
      keepRunningInTray: true,
      dropAction: 'ask',
    });
    expect(path.isAbsolute(h.downloadsDir)).toBe(true);
  });
});

describe('fewer connections when they are as fast', () => {
  it('turned back on, the engine tries them again from its default speed', async () => {
    h = await createHarness();
    await h.call<AppSettings>('settings:update', { adaptiveConnections: false });
    const on = await h.call<AppSettings>('settings:update', { adaptiveConnections: true });
    expect(on.adaptiveConnections).toBe(true);
    expect(h.engine.settings().connectionTrialAbove).toBe(200 * 1024 * 1024);
  });
});
