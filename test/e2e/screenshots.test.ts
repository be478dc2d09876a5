// The README's screenshots, taken from the real window with real downloads in flight: the empty
// window, the queue with downloads in progress (and the segment map of one), the Add dialog, and
// the dark theme as the OS asks for it (prefers-color-scheme).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, removeTempDirs } from '../helpers/files.js';
import { openApp, startHarness, type FerryApp, type Harness } from './harness.js';
import { engineDownload, row, waitForStatus } from './ui-helpers.js';

const KB = 1024;
const MB = 1024 * KB;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Every run takes the screenshots (the paths to them are part of the test); only
// `npm run screenshots` (FERRY_UPDATE_SCREENSHOTS=1) replaces the README's, so a test run leaves
// the working tree clean.
const SHOTS = process.env.FERRY_UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs', 'screenshots') : path.join(ROOT, 'test-results', 'screenshots');

const FILES = [
  // name, size, per-connection throttle (0 = full speed), connections
  ['ubuntu-24.04.1-desktop-amd64.iso', 40 * MB, 96 * KB, 8],
  ['Fedora-Workstation-Live-41.iso', 24 * MB, 160 * KB, 4],
  ['node-v22.11.0-linux-x64.tar.xz', 12 * MB, 64 * KB, 2],
  ['VSCode-linux-x64-1.95.tar.gz', 8 * MB, 64 * KB, 8],
  ['podcast-episode-142.mp3', 3 * MB, 0, 8],
  ['dataset-2024-q3.csv.gz', 6 * MB, 128 * KB, 4],
] as const;

let harness: Harness;
let server: FaultServer;
let app: FerryApp | undefined;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  server = await startFaultServer();
  FILES.forEach(([name, size, throttle], i) =>
    server.setFile(`/releases/${name}`, { body: randomBytesSeeded(size, 100 + i), faults: throttle ? { throttle } : {} }),
  );
  harness = await startHarness();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await harness?.close();
  await server?.close();
  await removeTempDirs();
});

const shot = (name: string) => path.join(SHOTS, name);

describe('screenshots', () => {
  it('the empty window', async () => {
    const empty = await openApp(harness);
    try {
      await empty.page.getByText('Drop a link here').waitFor();
      await empty.page.screenshot({ path: shot('main-empty.png') });
    } finally {
      await empty.close();
    }
  });

  it('downloads in progress, the Add dialog, and the dark theme', async () => {
    app = await openApp(harness, { settings: { minSplitSize: 512 * KB, maxConcurrent: 3 } });
    const { page } = app;
    const url = (name: string) => server.url(`/releases/${name}`);
    // The finished one first, so it is done before the throttled ones take the three slots.
    await add(app, [url('podcast-episode-142.mp3')], 8);
    await waitForStatus(page, 'podcast-episode-142.mp3', 'Completed');
    await add(app, [server.url('/releases/old-build-0.9.zip')], 8);
    await waitForStatus(page, 'old-build-0.9.zip', 'Failed');
    await add(app, [url('dataset-2024-q3.csv.gz')], 4);
    await expect.poll(() => engineDownload(app!, 'dataset-2024-q3.csv.gz')?.downloaded ?? 0, { timeout: 15_000 }).toBeGreaterThan(1 * MB);
    await app.router.handle('downloads:pause', { ids: [engineDownload(app, 'dataset-2024-q3.csv.gz')!.id] });
    await add(app, [url('ubuntu-24.04.1-desktop-amd64.iso')], 8);
    await add(app, [url('Fedora-Workstation-Live-41.iso')], 4);
    await add(app, [url('node-v22.11.0-linux-x64.tar.xz')], 2);
    await add(app, [url('VSCode-linux-x64-1.95.tar.gz')], 8);

    // One download selected, so the detail pane shows its segment map with every connection busy.
    await row(page, 'ubuntu-24.04.1-desktop-amd64.iso').click();
    await expect.poll(() => engineDownload(app!, 'ubuntu-24.04.1-desktop-amd64.iso')?.activeConnections ?? 0, { timeout: 15_000 }).toBe(8);
    await expect.poll(() => engineDownload(app!, 'ubuntu-24.04.1-desktop-amd64.iso')?.downloaded ?? 0, { timeout: 15_000 }).toBeGreaterThan(4 * MB);
    await expect.poll(() => page.locator('.connection-band').count()).toBe(8);
    await page.screenshot({ path: shot('downloads-in-progress.png') });

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: shot('dark-theme.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add downloads' });
    await dialog
      .getByLabel(/Links, one per line/)
      .fill(['https://cdimage.debian.org/debian-cd/current/amd64/iso-cd/debian-12.8.0-amd64-netinst.iso', 'https://download.blender.org/release/Blender4.2/blender-4.2.3-linux-x64.tar.xz', 'https://mirror.example.org/pub/videos/keynote-2024.mp4'].join('\n'));
    await page.screenshot({ path: shot('add-dialog.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(app.pageErrors).toEqual([]);
  }, 60_000);
});

/** Adds through the router, as the Add dialog would (the dialog itself is covered in downloads.test.ts). */
async function add(app: FerryApp, urls: string[], connections: number): Promise<void> {
  const result = await app.router.handle('downloads:add', { urls, connections });
  expect(result.ok).toBe(true);
}
