// ipcMain registration in front of the real router (real engine, real SQLite): every channel is
// registered once, the sending frame is checked, bad payloads are refused, events reach the window.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardEvents, registerIpc } from '../../main/app/ipc.js';
import { createRouter, createSenderCheck, type Router } from '../../main/ipc/index.js';
import { METHOD_CHANNELS, METHODS } from '../../preload/channels.js';
import { removeTempDirs } from '../helpers/files.js';
import { waitFor } from '../helpers/wait.js';
import { startEngine, type EngineFixture } from './engine-fixture.js';
import { FakeIpcMain, FakeWebContents } from './fake-electron.js';

const rendererFile = path.resolve('/opt/Ferry/dist/renderer/index.html');
const appUrl = pathToFileURL(rendererFile).href;

let fx: EngineFixture | undefined;
let router: Router | undefined;
afterEach(async () => {
  router?.close();
  await fx?.close();
  fx = undefined;
  await removeTempDirs();
});

async function setup() {
  fx = await startEngine();
  router = createRouter({
    engine: fx.engine,
    store: fx.store,
    downloadsDir: fx.dir,
    shell: { openPath: async () => {}, showItemInFolder: () => {}, pickFolder: async () => null },
    isTrustedSender: createSenderCheck({ rendererFile }),
  });
  const ipcMain = new FakeIpcMain();
  const unregister = registerIpc(ipcMain, router);
  return { ipcMain, unregister, engine: fx.engine };
}

describe('registerIpc', () => {
  it('registers exactly the contract channels, and unregisters them', async () => {
    const { ipcMain, unregister } = await setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(METHODS.map((m) => METHOD_CHANNELS[m]).sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('serves the app\'s own page', async () => {
    const { ipcMain, engine } = await setup();
    const res = await ipcMain.invoke('downloads:add', { urls: ['http://127.0.0.1:9/a.bin'], paused: true }, appUrl);
    expect(res).toMatchObject({ ok: true, value: { added: [{ status: 'paused' }], rejected: [] } });
    expect(engine.list()).toHaveLength(1);
  });

  it.each([['https://evil.example/'], ['file:///tmp/evil.html'], ['about:blank'], [''], [null]])(
    'refuses a frame at %s before looking at the payload',
    async (frameUrl) => {
      const { ipcMain, engine } = await setup();
      const res = await ipcMain.invoke('downloads:add', { urls: ['http://127.0.0.1:9/a.bin'] }, frameUrl);
      expect(res).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
      expect(engine.list()).toEqual([]);
    },
  );

  it.each([
    ['downloads:pause', { ids: ['/etc/passwd'] }],
    ['downloads:add', { urls: ['javascript:alert(1)'], directory: '/etc' }],
    ['downloads:remove', { ids: [-1], deleteFile: true }],
    ['settings:update', { downloadDirectory: '/' }],
  ])('refuses a bad %s payload from the app itself', async (channel, payload) => {
    const { ipcMain } = await setup();
    expect(await ipcMain.invoke(channel, payload, appUrl)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });
});

describe('forwardEvents', () => {
  it('sends batched progress to the window, and nothing to a destroyed one', async () => {
    const { ipcMain } = await setup();
    const contents = new FakeWebContents();
    let target: FakeWebContents | null = contents;
    forwardEvents(router!, () => target);
    await ipcMain.invoke('downloads:add', { urls: ['http://127.0.0.1:9/a.bin'], paused: true }, appUrl);
    await waitFor(() => contents.sent.some((m) => m.channel === 'downloads:progress'), 2000, 'progress sent');
    router!.emit('addUrls', { urls: ['https://example.com/x'] });
    expect(contents.sent.at(-1)).toEqual({ channel: 'app:addUrls', payload: { urls: ['https://example.com/x'] } });
    const count = contents.sent.length;
    contents.destroyed = true;
    router!.emit('addUrls', { urls: [] });
    target = null;
    router!.emit('addUrls', { urls: [] });
    expect(contents.sent).toHaveLength(count);
  });
});
