// Only the app's own renderer may call main. A table of hostile sender URLs, through the router.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSenderCheck, fileSenderOnly } from '../../main/ipc/index.js';
import { removeTempDirs } from '../helpers/files.js';
import { createHarness, type Harness } from './harness.js';

const rendererFile = path.resolve('/opt/Ferry/resources/app.asar/dist/renderer/index.html');
const ours = pathToFileURL(rendererFile).href;
const check = createSenderCheck({ rendererFile, devServerUrl: 'http://localhost:5173' });

describe('createSenderCheck', () => {
  it.each([ours, `${ours}#/settings`, `${ours}?x=1`, 'http://localhost:5173/', 'http://localhost:5173/index.html#x'])('trusts %s', (url) => {
    expect(check({ id: 1, url })).toBe(true);
  });

  it.each([
    'https://evil.example/',
    'http://localhost:5174/',
    'http://localhost.evil.example:5173/',
    'http://127.0.0.1:5173/',
    'https://localhost:5173/',
    pathToFileURL(path.resolve('/tmp/evil.html')).href,
    pathToFileURL(`${rendererFile}.evil.html`).href,
    'file:///opt/Ferry/resources/app.asar/dist/renderer/../../../../tmp/x.html',
    'file://evil-host/opt/Ferry/resources/app.asar/dist/renderer/index.html',
    'data:text/html,<script>1</script>',
    'javascript:alert(1)',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'chrome-extension://abc/index.html',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(check({ id: 1, url })).toBe(false);
  });

  it('without a dev server only the packaged file is trusted', () => {
    const packaged = createSenderCheck({ rendererFile });
    expect(packaged({ id: 1, url: ours })).toBe(true);
    expect(packaged({ id: 1, url: 'http://localhost:5173/' })).toBe(false);
  });

  it('the default check trusts file: pages only', () => {
    expect(fileSenderOnly({ id: 1, url: ours })).toBe(true);
    expect(fileSenderOnly({ id: 1, url: 'https://evil.example/' })).toBe(false);
  });
});

describe('the router checks the sender before anything else', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ router: { isTrustedSender: check } });
  });
  afterAll(async () => {
    await h.close();
    await removeTempDirs();
  });

  it('refuses an untrusted sender even with a valid payload, and does nothing', async () => {
    const result = await h.router.handle('downloads:add', { urls: ['http://127.0.0.1:9/x'] }, { id: 3, url: 'https://evil.example/' });
    expect(result).toEqual({ ok: false, error: { code: 'UNTRUSTED_SENDER', message: expect.any(String) } });
    expect(h.engine.list()).toEqual([]);
  });

  it('refuses a malformed sender object instead of throwing', async () => {
    const result = await h.router.handle('downloads:list', undefined, { id: 3 } as never);
    expect(result).toMatchObject({ ok: false, error: { code: 'UNTRUSTED_SENDER' } });
  });

  it('serves the app itself', async () => {
    expect(await h.router.handle('downloads:list', undefined, { id: 1, url: ours })).toEqual({ ok: true, value: [] });
  });
});
