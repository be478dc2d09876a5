// The tray against a real engine: Pause all and Resume all change real download statuses, and the
// live line and tooltip follow the engine's progress.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTray, type FerryTray } from '../../main/app/tray.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, removeTempDirs } from '../helpers/files.js';
import { waitFor } from '../helpers/wait.js';
import { startEngine, type EngineFixture } from './engine-fixture.js';
import { createFakeElectron, FakeTray } from './fake-electron.js';

let server: FaultServer;
let fx: EngineFixture | undefined;
let tray: FerryTray | undefined;
beforeAll(async () => {
  server = await startFaultServer({ files: { '/slow.bin': { body: randomBytesSeeded(4 * 1024 * 1024, 5), faults: { throttle: 512 * 1024 } } } });
});
afterAll(() => server.close());
afterEach(async () => {
  tray?.destroy();
  tray = undefined;
  await fx?.close();
  fx = undefined;
  await removeTempDirs();
});

function setup(engineFx: EngineFixture) {
  const electron = createFakeElectron({ userData: engineFx.dir, downloads: engineFx.dir, appPath: engineFx.dir });
  const calls = { show: 0, quit: 0 };
  tray = createTray(electron, {
    engine: engineFx.engine,
    iconPath: '/icons/tray.png',
    showWindow: () => void calls.show++,
    quit: () => void calls.quit++,
    refreshMs: 20,
  });
  return { fake: FakeTray.instances[0]!, calls };
}

describe('tray', () => {
  it('Pause all pauses the running and the queued download; Resume all queues them again', async () => {
    fx = await startEngine({ maxConcurrent: 1, connections: 2 });
    const { engine } = fx;
    const running = engine.add({ url: server.url('/slow.bin'), directory: fx.dir }).id;
    const queued = engine.add({ url: server.url('/slow.bin'), directory: fx.dir }).id;
    await waitFor(() => engine.get(running).downloaded > 0 && engine.get(running).activeConnections > 0, 5000, 'running');
    expect(engine.get(queued).status).toBe('queued');
    const { fake } = setup(fx);

    const pauseAll = fake.item('Pause all');
    expect(pauseAll.enabled).toBe(true);
    expect(fake.item('Resume all').enabled).toBe(false);
    pauseAll.click!({} as never, undefined, {} as never);
    await waitFor(() => engine.get(running).status === 'paused' && engine.get(queued).status === 'paused', 5000, 'both paused');

    // The menu follows the engine's progress batches, so it may show a half-paused state for a moment.
    await waitFor(() => fake.item('Resume all').enabled === true && fake.item('Pause all').enabled === false, 2000, 'menu after pause all');
    expect(fake.item('2 paused').enabled).toBe(false);
    fake.item('Resume all').click!({} as never, undefined, {} as never);
    expect(engine.get(running).status).not.toBe('paused');
    expect(engine.get(queued).status).not.toBe('paused');
    await waitFor(() => engine.get(running).activeConnections > 0, 5000, 'running again');
    await engine.pauseAll();
  });

  it('shows a live "N downloading · speed" line and the totals in the tooltip', async () => {
    fx = await startEngine({ maxConcurrent: 2, connections: 2 });
    const { engine } = fx;
    const { fake } = setup(fx);
    expect(fake.iconPath).toBe('/icons/tray.png');
    expect(fake.tooltip).toBe('Ferry\nNothing downloading');
    const a = engine.add({ url: server.url('/slow.bin'), directory: fx.dir }).id;
    engine.add({ url: server.url('/slow.bin'), directory: fx.dir });
    engine.add({ url: server.url('/slow.bin'), directory: fx.dir, paused: true });
    await waitFor(() => /^2 downloading · [\d.]+ (kB|MB)\/s$/.test(fake.menu!.template[2]!.label ?? ''), 5000, 'live line');
    expect(fake.tooltip).toMatch(/^Ferry\n2 downloading · [\d.]+ (kB|MB)\/s\n1 paused$/);
    await engine.pause(a);
    await waitFor(() => fake.tooltip.endsWith('2 paused'), 2000, 'tooltip after a pause');
    await engine.pauseAll();
  });

  it('Show Ferry, a click on the icon, and Quit reach the app', async () => {
    fx = await startEngine();
    const { fake, calls } = setup(fx);
    fake.item('Show Ferry').click!({} as never, undefined, {} as never);
    fake.emit('click');
    fake.item('Quit Ferry').click!({} as never, undefined, {} as never);
    expect(calls).toEqual({ show: 2, quit: 1 });
  });

  it('does not rebuild the menu when nothing visible changed', async () => {
    fx = await startEngine();
    const { fake } = setup(fx);
    const builds = fake.menuBuilds;
    tray!.refresh();
    await new Promise((r) => setTimeout(r, 80));
    expect(fake.menuBuilds).toBe(builds);
    tray!.destroy();
    expect(fake.destroyed).toBe(true);
  });
});
