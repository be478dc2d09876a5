// A full disk (ENOSPC) on a real size-limited file system (tmpfs, mounted as root): the download
// pauses with a clear error, keeps its bytes, and resumes by itself once there is room.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/engine-harness.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { makeTempDir, randomBytesSeeded, removeTempDirs, sha256, sha256File } from '../helpers/files.js';

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const MIB = 1024 * 1024;
let server: FaultServer;
let h: Harness;
let mountPoint: string | null = null;

beforeEach(async () => {
  server = await startFaultServer();
  h = await createHarness({ spaceCheckIntervalMs: 100 });
});
afterEach(async () => {
  await h.close();
  await server.close();
  if (mountPoint) execFileSync('umount', [mountPoint]);
  mountPoint = null;
  await removeTempDirs();
});

// With 4 connections the slabs are written by libuv's threads; with 1 on the main thread (fast-range.ts).
it.skipIf(!canMount()).each([4, 1])('pauses on a full disk with DISK_FULL, then resumes and completes when room appears (%i connections)', async (connections) => {
  const dir = await makeTempDir('ferry-tmpfs-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]);
  mountPoint = dir;
  const body = randomBytesSeeded(8 * MIB, 11);
  server.setFile('/big.bin', { body });
  const { id } = h.engine.add({ url: server.url('/big.bin'), directory: dir, connections });

  await expect.poll(() => h.engine.get(id).status, { timeout: 10_000 }).toBe('paused');
  const paused = h.engine.get(id);
  expect(paused.error).toEqual({ code: 'DISK_FULL', message: expect.stringMatching(/disk is full/) });
  expect(fs.readdirSync(dir)).toEqual(['big.bin.part']);
  const segments = h.store.segments.list(id);
  const kept = segments.reduce((n, s) => n + s.written, 0);
  expect(kept).toBeGreaterThan(0);

  const requestsBefore = server.requests.length;
  execFileSync('mount', ['-o', 'remount,size=64m', dir]);
  const done = await h.finished(id);
  expect(done.status).toBe('completed');
  expect(await sha256File(path.join(dir, 'big.bin'))).toBe(sha256(body));
  // The resume asked only for what was missing: no request starts inside bytes kept on disk.
  const resumed = server.requests.slice(requestsBefore);
  expect(resumed.length).toBeGreaterThan(0);
  for (const r of resumed) {
    const start = Number(/^bytes=(\d+)-/.exec(r.range ?? '')?.[1] ?? NaN);
    expect(start, `resume request ${r.range}`).not.toBeNaN();
    expect(segments.some((s) => start >= s.start && start < s.start + s.written)).toBe(false);
  }
});
