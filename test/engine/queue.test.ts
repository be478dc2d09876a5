// The queue: concurrency limit, pause/resume, pause all/resume all, cancel, remove, reorder,
// and restoring the queue after a restart (what ran resumes, what was paused stays paused).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DownloadSnapshot } from '../../main/engine/model.js';
import { useEngineSandbox, type Harness } from '../helpers/engine-harness.js';
import { type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';

let server: FaultServer;
let h: Harness;
const SLOW = 512 * 1024;

useEngineSandbox({ maxConcurrent: 2 }, (sandbox) => ({ server, h } = sandbox));

function serve(name: string, size: number, seed: number, throttle?: number): Buffer {
  const body = randomBytesSeeded(size, seed);
  server.setFile(`/${name}`, { body, faults: throttle ? { throttle } : undefined });
  return body;
}

const statuses = (list: DownloadSnapshot[]) => list.map((d) => d.status);

describe('the queue', () => {
  it('runs at most maxConcurrent downloads at once, in position order', async () => {
    const bodies = [0, 1, 2, 3].map((i) => serve(`q${i}.bin`, 400_000, i, SLOW));
    const ids = bodies.map((_, i) => h.engine.add({ url: server.url(`/q${i}.bin`), directory: h.dir, connections: 2 }).id);
    let maxActive = 0;
    const off = h.engine.on('progress', () => {
      const active = h.engine.list().filter((d) => d.status === 'downloading' || d.status === 'probing').length;
      maxActive = Math.max(maxActive, active);
    });
    expect(statuses(h.engine.list())).toEqual(['probing', 'probing', 'queued', 'queued']);
    const done = await Promise.all(ids.map((id) => h.finished(id)));
    off();
    expect(maxActive).toBe(2);
    for (const [i, s] of done.entries()) expect(await sha256File(h.pathOf(s))).toBe(sha256(bodies[i]!));
  });

  it('pauses and resumes one download; the file is byte-identical and little is fetched twice', async () => {
    const body = serve('p.bin', 2 * 1024 * 1024, 1, SLOW);
    const { id } = h.engine.add({ url: server.url('/p.bin'), directory: h.dir, connections: 4 });
    await expect.poll(() => h.engine.get(id).downloaded, { timeout: 10_000 }).toBeGreaterThan(400_000);
    await h.engine.pause(id);
    expect(h.engine.get(id).status).toBe('paused');
    const before = server.requests.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.requests.length).toBe(before);
    h.engine.resume(id);
    const s = await h.finished(id);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    // Paced at 512 KiB/s per connection, what is in flight at the pause is small.
    expect(server.bytesServedTwice('/p.bin')).toBeLessThanOrEqual(4 * 128 * 1024);
  });

  it('a pause that arrives while the download is still starting stops it at once', async () => {
    const body = serve('early.bin', 2 * 1024 * 1024, 9, SLOW);
    const { id } = h.engine.add({ url: server.url('/early.bin'), directory: h.dir, connections: 4 });
    expect(h.engine.get(id).status).toBe('probing');
    await h.engine.pause(id);
    expect(h.engine.get(id).status).toBe('paused');
    const requests = server.requests.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(server.requests.length).toBe(requests);
    expect(h.engine.get(id).activeConnections).toBe(0);
    h.engine.resume(id);
    const s = await h.finished(id);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('pause all stops everything (queued ones too) and resume all brings them back', async () => {
    const bodies = [0, 1, 2].map((i) => serve(`a${i}.bin`, 600_000, i, SLOW));
    const ids = bodies.map((_, i) => h.engine.add({ url: server.url(`/a${i}.bin`), directory: h.dir }).id);
    await expect.poll(() => h.engine.get(ids[0]!).downloaded, { timeout: 10_000 }).toBeGreaterThan(0);
    await h.engine.pauseAll();
    expect(statuses(h.engine.list())).toEqual(['paused', 'paused', 'paused']);
    h.engine.resumeAll();
    const done = await Promise.all(ids.map((id) => h.finished(id)));
    for (const [i, s] of done.entries()) expect(await sha256File(h.pathOf(s))).toBe(sha256(bodies[i]!));
  });

  it('cancel stops the download and deletes its partial file', async () => {
    serve('c.bin', 2 * 1024 * 1024, 1, SLOW);
    const { id } = h.engine.add({ url: server.url('/c.bin'), directory: h.dir });
    await expect.poll(() => h.engine.get(id).downloaded, { timeout: 10_000 }).toBeGreaterThan(0);
    await h.engine.cancel(id);
    expect(h.engine.get(id).status).toBe('canceled');
    expect(h.files()).toEqual([]);
  });

  it('remove keeps or deletes the file, as asked', async () => {
    serve('r.bin', 10_000, 1);
    const kept = await h.download(server.url('/r.bin'));
    const deleted = await h.download(server.url('/r.bin'));
    await h.engine.remove(kept.id);
    await h.engine.remove(deleted.id, { deleteFile: true });
    expect(h.engine.list()).toEqual([]);
    expect(h.files()).toEqual([kept.fileName]);
  });

  it('retry brings a failed download back once the server recovers', async () => {
    const body = serve('f.bin', 100_000, 1);
    server.setFaults('/f.bin', { status: { code: 404, times: 1 } });
    const failed = await h.download(server.url('/f.bin'));
    expect(failed.status).toBe('failed');
    h.engine.retry(failed.id);
    const s = await h.finished(failed.id);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('move reorders the queue and the new first one starts first', async () => {
    const ids = [0, 1, 2, 3].map((i) => {
      serve(`m${i}.bin`, 10_000, i);
      return h.engine.add({ url: server.url(`/m${i}.bin`), directory: h.dir, paused: true }).id;
    });
    h.engine.move(ids[3]!, 0);
    expect(h.engine.list().map((d) => d.id)).toEqual([ids[3], ids[0], ids[1], ids[2]]);
    await h.engine.updateSettings({ maxConcurrent: 1 });
    h.engine.resumeAll();
    for (const id of ids) await h.finished(id);
    // One at a time, each started in queue order: the moved one first, then the rest as they were.
    const firstAsked = [...new Set(server.requests.map((r) => r.path))];
    expect(firstAsked).toEqual(['/m3.bin', '/m0.bin', '/m1.bin', '/m2.bin']);
  });

  it('refuses impossible transitions with a typed error', async () => {
    serve('t.bin', 1000, 1);
    const s = await h.download(server.url('/t.bin'));
    await expect(h.engine.pause(s.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(() => h.engine.retry(s.id)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    expect(() => h.engine.get(9999)).toThrow(expect.objectContaining({ code: 'DOWNLOAD_NOT_FOUND' }));
  });
});

describe('after a restart', () => {
  it('what was running resumes, what was paused stays paused, finished ones stay finished', async () => {
    const running = serve('run.bin', 2 * 1024 * 1024, 1, SLOW);
    serve('paused.bin', 1024 * 1024, 2, SLOW);
    const done = serve('done.bin', 1000, 3);
    const d = await h.download(server.url('/done.bin'));
    const r = h.engine.add({ url: server.url('/run.bin'), directory: h.dir, connections: 4 });
    const p = h.engine.add({ url: server.url('/paused.bin'), directory: h.dir });
    await expect.poll(() => h.engine.get(r.id).downloaded, { timeout: 10_000 }).toBeGreaterThan(300_000);
    await h.engine.pause(p.id);
    await h.restart();
    expect(h.engine.get(p.id).status).toBe('paused');
    expect(h.engine.get(d.id).status).toBe('completed');
    const s = await h.finished(r.id);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(running));
    expect(await sha256File(h.pathOf(h.engine.get(d.id)))).toBe(sha256(done));
    expect(h.engine.get(p.id).status).toBe('paused');
  });

  it('attaching a download a dead process left queued starts it (the CLI never calls start())', async () => {
    const body = serve('left.bin', 100_000, 6);
    const row = h.store.downloads.insert({ url: server.url('/left.bin'), directory: h.dir, fileName: null, fileNameFixed: false, overwrite: false, status: 'queued', connections: 2 });
    h.engine.attach(row.id);
    const s = await h.finished(row.id);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('a partial file deleted behind Ferry\'s back is fetched again, not trusted', async () => {
    const body = serve('del.bin', 2 * 1024 * 1024, 4, SLOW);
    const { id } = h.engine.add({ url: server.url('/del.bin'), directory: h.dir, connections: 2 });
    await expect.poll(() => h.engine.get(id).downloaded, { timeout: 10_000 }).toBeGreaterThan(200_000);
    await h.engine.pause(id);
    fs.rmSync(path.join(h.dir, 'del.bin.part'));
    h.engine.resume(id);
    const s = await h.finished(id);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('a partial file truncated behind Ferry\'s back is refetched from where it really ends', async () => {
    const body = serve('cut.bin', 2 * 1024 * 1024, 5, SLOW);
    const { id } = h.engine.add({ url: server.url('/cut.bin'), directory: h.dir, connections: 1 });
    await expect.poll(() => h.engine.get(id).downloaded, { timeout: 10_000 }).toBeGreaterThan(300_000);
    await h.engine.pause(id);
    fs.truncateSync(path.join(h.dir, 'cut.bin.part'), 100_000);
    h.engine.resume(id);
    const s = await h.finished(id);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });
});
