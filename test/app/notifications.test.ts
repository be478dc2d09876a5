// Notifications from a real engine's `finished` events: a completed and a failed download each
// produce one, a canceled one does not, and the setting turns them off.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notificationFor, notifyOnFinish } from '../../main/app/notifications.js';
import type { DownloadSnapshot } from '../../main/engine/model.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, removeTempDirs } from '../helpers/files.js';
import { waitFor } from '../helpers/wait.js';
import { startEngine, type EngineFixture } from './engine-fixture.js';
import { FakeNotification, createFakeElectron } from './fake-electron.js';

let server: FaultServer;
let fx: EngineFixture | undefined;
beforeAll(async () => {
  server = await startFaultServer({
    files: {
      '/report.pdf': { body: randomBytesSeeded(64 * 1024, 1) },
      '/slow.bin': { body: randomBytesSeeded(1024 * 1024, 2), faults: { throttle: 64 * 1024 } },
    },
  });
});
afterAll(() => server.close());
afterEach(async () => {
  await fx?.close();
  fx = undefined;
  await removeTempDirs();
});

describe('notifications', () => {
  it('tells when a download completes or fails, and a click brings the window up', async () => {
    fx = await startEngine();
    const electron = createFakeElectron({ userData: fx.dir, downloads: fx.dir, appPath: fx.dir });
    const clicked: number[] = [];
    notifyOnFinish(electron.Notification, fx.engine, { enabled: () => true, onClick: (d) => void clicked.push(d.id), icon: '/i.png' });
    const ok = fx.engine.add({ url: server.url('/report.pdf'), directory: fx.dir }).id;
    const missing = fx.engine.add({ url: server.url('/missing.bin'), directory: fx.dir }).id;
    await waitFor(() => FakeNotification.instances.length === 2, 10_000, 'two notifications');
    const byTitle = new Map(FakeNotification.instances.map((n) => [n.options.title, n]));
    expect(byTitle.get('Download complete')?.options).toEqual({ title: 'Download complete', body: 'report.pdf', icon: '/i.png' });
    expect(byTitle.get('Download failed')?.options.body).toMatch(/not found on the server \(HTTP 404\)/);
    expect(FakeNotification.instances.every((n) => n.shown)).toBe(true);
    byTitle.get('Download complete')!.emit('click');
    expect(clicked).toEqual([ok]);
    expect(fx.engine.get(missing).status).toBe('failed');
  });

  it('stays silent when turned off, when unsupported, and for a canceled download', async () => {
    fx = await startEngine();
    const electron = createFakeElectron({ userData: fx.dir, downloads: fx.dir, appPath: fx.dir });
    let enabled = false;
    notifyOnFinish(electron.Notification, fx.engine, { enabled: () => enabled, onClick: () => {} });
    const quiet = fx.engine.add({ url: server.url('/report.pdf'), directory: fx.dir }).id;
    await waitFor(() => fx!.engine.get(quiet).status === 'completed', 10_000, 'completed');
    enabled = true;
    const slow = fx.engine.add({ url: server.url('/slow.bin'), directory: fx.dir }).id;
    await waitFor(() => fx!.engine.get(slow).downloaded > 0, 5000, 'started');
    await fx.engine.cancel(slow);
    FakeNotification.supported = false;
    const unsupported = fx.engine.add({ url: server.url('/report.pdf'), directory: fx.dir, fileName: 'again.pdf' }).id;
    await waitFor(() => fx!.engine.get(unsupported).status === 'completed', 10_000, 'completed again');
    expect(FakeNotification.instances).toEqual([]);
  });

  it('names a download without a file name by its URL, with the password masked', () => {
    const d = { status: 'failed', fileName: null, url: 'https://me:secret@example.com/x', error: { code: 'X', message: 'Broken.' } } as DownloadSnapshot;
    expect(notificationFor(d)).toEqual({ title: 'Download failed', body: 'https://me:***@example.com/x: Broken.' });
    expect(notificationFor({ ...d, status: 'canceled' })).toBeNull();
  });
});
