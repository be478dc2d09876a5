// Checkpoints claim bytes that may be only in the page cache (safe from a killed process, not
// from a power cut); data is flushed every `durableIntervalMs` and when a download stops. A later
// boot must trust only the flushed progress, or a file would complete with the zeros a power cut
// leaves where the page cache was lost.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createEngine } from '../../main/engine/engine.js';
import type { Engine } from '../../main/engine/engine-api.js';
import { partPath } from '../../main/engine/file-name.js';
import type { DownloadSnapshot } from '../../main/engine/model.js';
import { createStore, type Store } from '../../main/store/store.js';
import { FAST_SETTINGS } from '../helpers/engine-harness.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { makeTempDir, randomBytesSeeded, removeTempDirs, sha256, sha256File } from '../helpers/files.js';

let server: FaultServer;
let dir: string;
let dbPath: string;
const open: { store: Store; engine: Engine }[] = [];

beforeEach(async () => {
  server = await startFaultServer();
  dir = await makeTempDir('ferry-power-');
  dbPath = path.join(await makeTempDir('ferry-power-db-'), 'ferry.db');
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.engine.close();
    o.store.close();
  }
  await server.close();
  await removeTempDirs();
});

function start(bootId: string) {
  const store = createStore(dbPath);
  const engine = createEngine({
    store,
    bootId,
    settings: { ...FAST_SETTINGS, durableCheckpoints: true, durableIntervalMs: 60_000, connections: 2 },
  });
  open.push({ store, engine });
  engine.start();
  return { store, engine };
}

async function waitFor<T>(what: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = what();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Bytes the store claims for download `id`, as boot `bootId` would trust them. */
const claimedBytes = (store: Store, id: number, bootId: string) => store.segments.list(id, bootId).reduce((n, s) => n + s.written, 0);

/** Serves a throttled file and starts downloading it under boot-A, past its first 512 KiB. */
async function startPastHalfMiB(size: number, seed: number, throttle: number) {
  const body = randomBytesSeeded(size, seed);
  server.setFile('/f.bin', { body, faults: { throttle } });
  const a = start('boot-A');
  const { id } = a.engine.add({ url: server.url('/f.bin'), directory: dir });
  await waitFor(() => claimedBytes(a.store, id, 'boot-A') > 512 * 1024);
  return { body, a, id };
}

const finished = (engine: Engine, id: number) =>
  waitFor(() => {
    const s = engine.get(id);
    return s.status === 'completed' || s.status === 'failed' ? s : undefined;
  }, 30_000);

it('running checkpoints are marked with the boot; a stop flushes and clears the mark', async () => {
  const body = randomBytesSeeded(2 * 1024 * 1024, 1);
  server.setFile('/f.bin', { body, faults: { throttle: 1024 * 1024 } });
  const { store, engine } = start('boot-A');
  const { id } = engine.add({ url: server.url('/f.bin'), directory: dir });
  // Mid-download: progress is claimed, but none of it is known to be on stable storage yet.
  const claimed = await waitFor(() => {
    const p = store.segments.listProgress(id, 'boot-A');
    const written = p.reduce((n, s) => n + s.written, 0);
    return written > 256 * 1024 ? p : undefined;
  });
  expect(claimed.every((s) => s.durable === 0)).toBe(true);
  // Another boot (after a power cut) trusts none of it.
  expect(claimedBytes(store, id, 'boot-B')).toBe(0);

  await engine.pause(id);
  const after = store.segments.listProgress(id, 'boot-B');
  const written = after.reduce((n, s) => n + s.written, 0);
  expect(written).toBeGreaterThan(256 * 1024);
  expect(after.every((s) => s.durable === s.written)).toBe(true);
});

it('after a power cut, the next boot refetches what was only in the page cache: the file ends byte-identical', async () => {
  const { body, a, id } = await startPastHalfMiB(6 * 1024 * 1024, 2, 512 * 1024);
  // Pause (a flush), then run on: the progress claimed after this point is only in the page cache.
  await a.engine.pause(id);
  const flushed = a.store.segments.listProgress(id, 'boot-A');
  a.engine.resume(id);
  await waitFor(() => {
    const now = a.store.segments.listProgress(id, 'boot-A');
    return now.reduce((n, s) => n + s.written, 0) > flushed.reduce((n, s) => n + s.written, 0) + 256 * 1024;
  });
  // The power goes out: the process dies without a last checkpoint (the store closes first, so
  // the engine's closing checkpoint cannot be written)...
  const claimed = a.store.segments.listProgress(id, 'boot-A');
  expect(a.engine.get(id).status).toBe('downloading');
  const name = a.engine.get(id).fileName!;
  open.splice(0).forEach((o) => {
    o.engine.close().catch(() => {});
    o.store.close();
  });
  // ...and the bytes that were only in the page cache never reached the disk.
  const part = partPath(dir, name);
  const fd = fs.openSync(part, 'r+');
  for (const s of claimed) {
    if (s.written > s.durable) fs.writeSync(fd, Buffer.alloc(s.written - s.durable), 0, s.written - s.durable, s.start + s.durable);
  }
  fs.closeSync(fd);
  expect(claimed.some((s) => s.written > s.durable)).toBe(true);

  const b = start('boot-B');
  const s: DownloadSnapshot = await finished(b.engine, id);
  expect(s.status).toBe('completed');
  expect(await sha256File(path.join(dir, s.fileName!))).toBe(sha256(body));
});

it('a restart in the same boot (a killed process) keeps the page-cache progress', async () => {
  const { a, id } = await startPastHalfMiB(2 * 1024 * 1024, 3, 1024 * 1024);
  const claimed = claimedBytes(a.store, id, 'boot-A');
  const reopened = createStore(dbPath);
  try {
    expect(claimedBytes(reopened, id, 'boot-A')).toBeGreaterThanOrEqual(claimed);
  } finally {
    reopened.close();
  }
});
