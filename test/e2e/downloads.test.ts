// End to end in headless Chromium: the built window, the real router and engine, a real loopback
// server. Links arrive by real drop events; buttons and keys are pressed as a user would.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, removeTempDirs, sha256 } from '../helpers/files.js';
import { dropOnWindow, openApp, startHarness, type FerryApp, type Harness } from './harness.js';
import { engineDownload, expectFileSha, row, statusOf, waitForStatus } from './ui-helpers.js';

const KB = 1024;
const MB = 1024 * KB;

const files = {
  small: randomBytesSeeded(1.5 * MB, 1),
  slow: randomBytesSeeded(3 * MB, 2),
  a: randomBytesSeeded(1.5 * MB, 3),
  b: randomBytesSeeded(1.5 * MB, 4),
  c: randomBytesSeeded(1.5 * MB, 5),
  keep: randomBytesSeeded(200 * KB, 6),
};
// Per connection; slow enough to catch a download running, fast enough to finish in seconds.
const THROTTLE = 200 * KB;
const SLOW_THROTTLE = 96 * KB;

let harness: Harness;
let server: FaultServer;
let app: FerryApp;

beforeAll(async () => {
  server = await startFaultServer();
  server.setFile('/small.bin', { body: files.small });
  server.setFile('/slow.bin', { body: files.slow, faults: { throttle: SLOW_THROTTLE } });
  for (const name of ['a', 'b', 'c'] as const) server.setFile(`/${name}.bin`, { body: files[name], faults: { throttle: THROTTLE } });
  server.setFile('/keep.bin', { body: files.keep });
  harness = await startHarness();
  app = await openApp(harness, { settings: { minSplitSize: 256 * KB } });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await harness?.close();
  await server?.close();
  await removeTempDirs();
});

describe('the window in Chromium', () => {
  it('starts empty, inviting a drop', async () => {
    await expect.poll(() => app.page.getByText('Drop a link here').isVisible()).toBe(true);
  });

  it('a dropped link opens the Add dialog and the download completes with the same bytes', async () => {
    const { page } = app;
    const result = await dropOnWindow(page, { 'text/uri-list': `# dragged from a browser\r\n${server.url('/small.bin')}\r\n` });
    expect(result.defaultPrevented).toBe(true);
    const dialog = page.getByRole('dialog', { name: 'Add downloads' });
    await expect.poll(() => dialog.getByLabel(/Links, one per line/).inputValue()).toBe(server.url('/small.bin'));
    await expect.poll(() => dialog.locator('.folder-path').textContent()).toBe(app.downloadsDir);
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await waitForStatus(page, 'small.bin', 'Completed');
    await expectFileSha(app, 'small.bin', sha256(files.small));
    await expect.poll(() => row(page, 'small.bin').getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });

  it('a javascript: drop is refused with a visible message and adds nothing', async () => {
    const { page } = app;
    const before = app.engine.list().length;
    const result = await dropOnWindow(page, { 'text/uri-list': 'javascript:alert(document.domain)', 'text/plain': 'javascript:alert(document.domain)' });
    expect(result.defaultPrevented).toBe(true);
    const alert = page.getByRole('alert').filter({ hasText: 'Only http and https links can be downloaded' });
    await alert.waitFor({ state: 'visible' });
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(app.engine.list().length).toBe(before);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
  });

  it('with "add straight away" set in Settings, a drop adds at once; pause and resume one', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Dropped or pasted links').selectOption('add');
    await expect.poll(() => app.router.handle('settings:get', undefined).then((r) => (r.ok ? (r.value as { dropAction: string }).dropAction : null))).toBe('add');
    await settings.getByRole('button', { name: 'Done' }).click();

    await dropOnWindow(page, { 'text/plain': `get this: ${server.url('/slow.bin')}` });
    await waitForStatus(page, 'slow.bin', 'Downloading');
    await expect.poll(() => engineDownload(app, 'slow.bin')?.downloaded ?? 0).toBeGreaterThan(0);

    await row(page, 'slow.bin').click();
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitForStatus(page, 'slow.bin', 'Paused');
    const paused = engineDownload(app, 'slow.bin')!;
    expect(paused.status).toBe('paused');
    expect(paused.downloaded).toBeLessThan(files.slow.length);
    // The detail pane shows what the server said and the segments on disk.
    const pane = page.getByRole('region', { name: 'Download details' });
    await expect.poll(() => pane.textContent()).toContain('Yes: the server honours byte ranges');
    await expect.poll(() => pane.getByRole('img').getAttribute('aria-label')).toMatch(/on disk in \d+ segments?/);

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await waitForStatus(page, 'slow.bin', 'Completed');
    await expectFileSha(app, 'slow.bin', sha256(files.slow));
  });

  it('a dropped .txt list of links is read and added', async () => {
    const { page } = app;
    const list = `# links for later\n${server.url('/keep.bin')}\njavascript:void(0)\n`;
    await dropOnWindow(page, {}, [{ name: 'links.txt', text: list }]);
    await waitForStatus(page, 'keep.bin', 'Completed');
    await expectFileSha(app, 'keep.bin', sha256(files.keep));
    // The hostile line in the same file was refused, visibly, and nothing else was added.
    await page.getByRole('alert').filter({ hasText: 'Only http and https links can be downloaded' }).waitFor();
    await row(page, 'keep.bin').click();
    await page.keyboard.press('Delete');
    await page.getByRole('dialog', { name: 'Remove download' }).getByRole('button', { name: 'Remove and delete file' }).click();
    await row(page, 'keep.bin').waitFor({ state: 'detached' });
  });

  it('the Add dialog takes three links; Pause all and Resume all stop and restart them', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add downloads' });
    await dialog.getByLabel(/Links, one per line/).fill(['a', 'b', 'c'].map((n) => server.url(`/${n}.bin`)).join('\n'));
    await dialog.getByLabel('Connections').fill('2');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    for (const n of ['a', 'b', 'c']) await expect.poll(() => statusOf(page, `${n}.bin`)).toMatch(/Queued|Starting|Downloading/);
    expect(engineDownload(app, 'a.bin')?.connections).toBe(2);

    await page.getByRole('button', { name: 'Pause all' }).click();
    for (const n of ['a', 'b', 'c']) await waitForStatus(page, `${n}.bin`, 'Paused');
    expect(app.engine.list().filter((d) => d.status === 'paused')).toHaveLength(3);

    await page.getByRole('button', { name: 'Resume all' }).click();
    for (const n of ['a', 'b', 'c'] as const) {
      await waitForStatus(page, `${n}.bin`, 'Completed', 30_000);
      await expectFileSha(app, `${n}.bin`, sha256(files[n]));
    }
  }, 60_000);

  it('Remove asks, then deletes the file or keeps it', async () => {
    const { page } = app;
    // Delete key on the selected row, "Remove and delete file".
    await row(page, 'small.bin').click();
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Remove download' });
    await dialog.getByRole('button', { name: 'Remove and delete file' }).click();
    await row(page, 'small.bin').waitFor({ state: 'detached' });
    expect(existsSync(path.join(app.downloadsDir, 'small.bin'))).toBe(false);
    expect(engineDownload(app, 'small.bin')).toBeUndefined();

    // The toolbar's Remove, "keep file".
    await row(page, 'a.bin').click();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('dialog', { name: 'Remove download' }).getByRole('button', { name: 'Remove, keep file' }).click();
    await row(page, 'a.bin').waitFor({ state: 'detached' });
    await expectFileSha(app, 'a.bin', sha256(files.a));
  });

  it('Show in folder and Open go to main by id', async () => {
    const { page } = app;
    await row(page, 'b.bin').click();
    await page.getByRole('button', { name: 'Show in folder' }).first().click();
    await expect.poll(() => app.shell.showItemInFolder).toEqual([path.join(app.downloadsDir, 'b.bin')]);
    await row(page, 'b.bin').dblclick();
    await expect.poll(() => app.shell.openPath).toEqual([path.join(app.downloadsDir, 'b.bin')]);
  });

  it('dragging a row reorders the queue', async () => {
    const { page } = app;
    const before = app.engine.list().map((d) => d.fileName);
    expect(before).toEqual(['slow.bin', 'b.bin', 'c.bin']);
    await row(page, 'c.bin').dragTo(row(page, 'slow.bin'), { targetPosition: { x: 40, y: 5 } });
    await expect.poll(() => app.engine.list().map((d) => d.fileName)).toEqual(['c.bin', 'slow.bin', 'b.bin']);
    await expect
      .poll(() => page.getByRole('grid', { name: 'Downloads' }).locator('.file-name').allTextContents())
      .toEqual(['c.bin', 'slow.bin', 'b.bin']);
  });

  it('kept to its Content-Security-Policy and logged no errors', async () => {
    expect(await app.cspViolations()).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });
});
