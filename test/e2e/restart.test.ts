// The queue outlives the engine: close engine and store, open new ones on the same database, reload
// the window, and the restored queue shows (a finished download, a paused one that then resumes to
// the right bytes, one that was running and carries on). And a 10,000-download queue stays a
// virtualized list: a few dozen rows in the DOM, every one reachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, removeTempDirs, sha256 } from '../helpers/files.js';
import { openApp, startHarness, type FerryApp, type Harness } from './harness.js';
import { engineDownload, expectFileSha, row, statusOf, waitForStatus } from './ui-helpers.js';

const KB = 1024;
const MB = 1024 * KB;
const files = {
  done: randomBytesSeeded(1 * MB, 11),
  held: randomBytesSeeded(2 * MB, 12),
  running: randomBytesSeeded(2 * MB, 13),
};

let harness: Harness;
let server: FaultServer;
const apps: FerryApp[] = [];

beforeAll(async () => {
  server = await startFaultServer();
  server.setFile('/done.bin', { body: files.done });
  server.setFile('/held.bin', { body: files.held, faults: { throttle: 150 * KB } });
  server.setFile('/running.bin', { body: files.running, faults: { throttle: 150 * KB } });
  harness = await startHarness();
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await harness?.close();
  await server?.close();
  await removeTempDirs();
});

describe('restart', () => {
  it('shows the restored queue after the engine restarts, and resumes it', async () => {
    const app = await openApp(harness, { settings: { minSplitSize: 256 * KB } });
    apps.push(app);
    const { page } = app;
    await page.getByRole('button', { name: 'Add', exact: true }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add downloads' });
    await dialog.getByLabel(/Links, one per line/).fill(['/done.bin', '/held.bin', '/running.bin'].map((p) => server.url(p)).join('\n'));
    // Two connections each, so the throttled ones are still running when the engine restarts.
    await dialog.getByLabel('Connections').fill('2');
    await dialog.getByRole('button', { name: 'Add', exact: true }).click();
    await waitForStatus(page, 'done.bin', 'Completed');
    await expect.poll(() => engineDownload(app, 'held.bin')?.downloaded ?? 0, { timeout: 10_000 }).toBeGreaterThan(200 * KB);

    // Space on the selected row pauses it.
    await row(page, 'held.bin').click();
    await page.keyboard.press('Space');
    await waitForStatus(page, 'held.bin', 'Paused');
    const heldBytes = engineDownload(app, 'held.bin')!.downloaded;
    expect(heldBytes).toBeGreaterThan(0);
    expect(heldBytes).toBeLessThan(files.held.length);
    await expect.poll(() => engineDownload(app, 'running.bin')?.status).toBe('downloading');

    await app.restart();

    await waitForStatus(page, 'done.bin', 'Completed');
    await waitForStatus(page, 'held.bin', 'Paused');
    // What was running when the engine closed carries on by itself.
    await expect.poll(() => statusOf(page, 'running.bin')).toMatch(/Queued|Starting|Downloading|Completed/);
    const percent = Math.floor((heldBytes / files.held.length) * 100);
    expect(await row(page, 'held.bin').locator('.percent').textContent()).toBe(`${percent}%`);
    // The bar shows the same share: its fill covers that part of the track.
    const fillShare = () =>
      row(page, 'held.bin').locator('.progress').evaluate((bar) => bar.querySelector('.progress-fill')!.getBoundingClientRect().width / bar.getBoundingClientRect().width);
    await expect.poll(fillShare).toBeCloseTo(heldBytes / files.held.length, 1);
    expect(await page.getByRole('grid', { name: 'Downloads' }).locator('.file-name').allTextContents()).toEqual(['done.bin', 'held.bin', 'running.bin']);

    await row(page, 'held.bin').click();
    await page.keyboard.press('Space');
    await waitForStatus(page, 'held.bin', 'Completed', 30_000);
    await waitForStatus(page, 'running.bin', 'Completed', 30_000);
    await expectFileSha(app, 'done.bin', sha256(files.done));
    await expectFileSha(app, 'held.bin', sha256(files.held));
    await expectFileSha(app, 'running.bin', sha256(files.running));
    expect(await app.cspViolations()).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  }, 60_000);
});

describe('10,000 downloads', () => {
  it('keeps a few dozen rows in the DOM and reaches the last one', async () => {
    const COUNT = 10_000;
    const app = await openApp(harness, {
      // Pre-filled database: paused and completed downloads, so the engine fetches nothing.
      prefill(store, dir) {
        store.transaction(() => {
          for (let i = 1; i <= COUNT; i++) {
            const name = `file-${String(i).padStart(5, '0')}.bin`;
            const d = store.downloads.insert({
              url: `https://downloads.example.invalid/${name}`,
              directory: dir,
              fileName: name,
              fileNameFixed: true,
              overwrite: false,
              status: i % 4 === 0 ? 'completed' : 'paused',
              connections: 8,
            });
            store.downloads.update(d.id, { size: (i % 97) * MB + 1 });
          }
        });
      },
    });
    apps.push(app);
    const { page } = app;
    const grid = page.getByRole('grid', { name: 'Downloads' });
    const rowsInDom = () => grid.locator('.queue-rows [role="row"]').count();
    await row(page, 'file-00001.bin').waitFor();
    expect(await grid.getAttribute('aria-rowcount')).toBe(String(COUNT + 1));
    expect(await rowsInDom()).toBeGreaterThan(5);
    expect(await rowsInDom()).toBeLessThan(60);
    await expect.poll(() => page.getByLabel('Totals').textContent()).toContain(`${COUNT} total`);

    // Scrolling with the wheel moves the window over the list without adding rows.
    await grid.locator('.queue-scroll').hover();
    await page.mouse.wheel(0, 48 * 3000);
    await expect.poll(() => grid.locator('.queue-rows [role="row"]').first().getAttribute('aria-rowindex').then(Number)).toBeGreaterThan(2500);
    expect(await rowsInDom()).toBeLessThan(60);
    // What the view shows is the queue in order: rows in view (whatever their order in the DOM)
    // follow each other one row height apart, with no gap, overlap or row out of place.
    const inView = await grid.locator('.queue-scroll').evaluate((scroller) => {
      const view = scroller.getBoundingClientRect();
      return [...scroller.querySelectorAll('[role="row"]')]
        .map((el) => ({ index: Number(el.getAttribute('aria-rowindex')), top: el.getBoundingClientRect().top, name: el.querySelector('.file-name')!.textContent }))
        .filter((r) => r.top + 48 > view.top && r.top < view.bottom)
        .sort((a, b) => a.top - b.top);
    });
    expect(inView.length).toBeGreaterThan(5);
    inView.forEach((r, i) => {
      expect(r.name).toBe(`file-${String(r.index - 1).padStart(5, '0')}.bin`);
      if (i > 0) {
        expect(r.index).toBe(inView[i - 1]!.index + 1);
        expect(r.top - inView[i - 1]!.top).toBeCloseTo(48, 0);
      }
    });

    // Scrolling on to the end reaches the last download.
    await page.mouse.wheel(0, 48 * COUNT);
    const last = row(page, `file-${COUNT}.bin`);
    await last.waitFor();
    await expect.poll(() => last.isVisible()).toBe(true);
    expect(await rowsInDom()).toBeLessThan(60);

    // Home and End (keyboard) select and show the first and the last download.
    await grid.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => row(page, 'file-00001.bin').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('End');
    await expect.poll(() => last.getAttribute('aria-selected')).toBe('true');
    expect(await last.isVisible()).toBe(true);
    expect(app.pageErrors).toEqual([]);
  }, 60_000);
});
