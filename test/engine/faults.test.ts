// Servers that misbehave on purpose: every download must still land byte-identical, or fail
// with a clear error. Nothing is ever written at an offset it does not belong to.
import { describe, expect, it } from 'vitest';
import { useEngineSandbox, type Harness } from '../helpers/engine-harness.js';
import { type Faults, type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';

let server: FaultServer;
let h: Harness;
const SIZE = 3 * 1024 * 1024 + 333;

useEngineSandbox({}, (sandbox) => ({ server, h } = sandbox));

async function expectIdentical(faults: Faults, connections = 4, seed = 1) {
  const body = randomBytesSeeded(SIZE, seed);
  server.setFile('/f.bin', { body, faults });
  const s = await h.download(server.url('/f.bin'), { connections });
  expect(s.error).toBeNull();
  expect(s.status).toBe('completed');
  expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  expect(h.files()).toEqual(['f.bin']);
  return s;
}

describe('range support missing or broken: falls back to one stream', () => {
  it('a server that ignores Range (200 to every request)', async () => {
    const s = await expectIdentical({ ignoreRange: true }, 8);
    expect(s.resumable).toBe(false);
  });
  it('Content-Range with an exclusive end (off by one)', async () => {
    await expectIdentical({ contentRangeOffByOne: true }, 8);
  });
  it('Content-Range without the bytes unit', async () => {
    await expectIdentical({ contentRangeNoUnit: true }, 8);
  });
  it('a range body longer than asked', async () => {
    await expectIdentical({ rangeBodyLength: 'longer' }, 8);
  });
  it('a range body shorter than asked', async () => {
    await expectIdentical({ rangeBodyLength: 'shorter' }, 8);
  });
});

describe('connections that break', () => {
  it.each(['fin', 'rst'] as const)('bodies cut by %s mid-way, three times', async (mode) => {
    await expectIdentical({ dropAfter: { bytes: 300_000, times: 3, mode } });
  });
  it('every response cut after 512 KiB: progress is kept, the file still completes', async () => {
    const s = await expectIdentical({ dropAfter: { bytes: 512 * 1024, mode: 'fin' } }, 2);
    expect(s.resumable).toBe(true);
  });
  it('a stalled connection is dropped after the idle timeout and resumed', async () => {
    await expectIdentical({ stallAfter: { bytes: 200_000, times: 2 } });
    expect(server.requests.length).toBeGreaterThan(4);
  });
  it('a stalled single stream without range support starts over and completes', async () => {
    await expectIdentical({ ignoreRange: true, stallAfter: { bytes: 200_000, times: 1 } }, 1);
  });
});

describe('servers that ask us to wait', () => {
  it.each([
    [503, '1'],
    [429, '1'],
  ])('%i with Retry-After: %s s is honoured, then the download completes', async (code, retryAfter) => {
    const started = Date.now();
    await expectIdentical({ status: { code, times: 1, retryAfter } });
    expect(server.requests[0]!.status).toBe(code);
    // Our own backoff in tests is 20-200 ms: taking about a second means the server's wait was used.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
  it('a Retry-After given as an HTTP date is honoured', async () => {
    const when = new Date(Date.now() + 1500).toUTCString();
    const started = Date.now();
    await expectIdentical({ status: { code: 503, times: 1, retryAfter: when } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });
  it('500s that pass', async () => {
    await expectIdentical({ status: { code: 500, times: 3 } });
  });
  it('a 503 that never passes fails with a clear error after the retries', async () => {
    server.setFile('/f.bin', { body: randomBytesSeeded(1000, 1), faults: { status: { code: 503, times: 1000 } } });
    const s = await h.download(server.url('/f.bin'));
    expect(s.status).toBe('failed');
    expect(s.error).toEqual({ code: 'HTTP_UNAVAILABLE', message: expect.stringMatching(/temporarily unavailable/) });
    expect(h.files()).toEqual([]);
  });
});

describe('the file changes on the server', () => {
  it('between requests of one download: starts over and lands the new version whole', async () => {
    const v1 = randomBytesSeeded(SIZE, 1);
    const v2 = randomBytesSeeded(SIZE, 2);
    server.setFile('/f.bin', { body: v1, faults: { changeAfterRequests: { requests: 2, body: v2 }, throttle: 4 * 1024 * 1024 } });
    const s = await h.download(server.url('/f.bin'), { connections: 4 });
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(v2));
    expect(s.restartReason).toMatch(/changed/);
  });

  it('while paused: the resume notices (If-Range) and never splices two versions', async () => {
    const v1 = randomBytesSeeded(SIZE, 1);
    const v2 = randomBytesSeeded(SIZE, 2);
    server.setFile('/f.bin', { body: v1, faults: { throttle: 1024 * 1024 } });
    const added = h.engine.add({ url: server.url('/f.bin'), directory: h.dir, connections: 4 });
    await expect.poll(() => h.engine.get(added.id).downloaded, { timeout: 10_000 }).toBeGreaterThan(300_000);
    await h.engine.pause(added.id);
    server.setFile('/f.bin', { body: v2 });
    h.engine.resume(added.id);
    const s = await h.finished(added.id);
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(v2));
    expect(s.restartReason).toMatch(/changed/);
    const resumed = server.requests.filter((r) => r.ifRange);
    expect(resumed.length).toBeGreaterThan(0);
  });

  it('with a weak ETag only: the length and Content-Range still catch a change', async () => {
    const v1 = randomBytesSeeded(SIZE, 1);
    const v2 = randomBytesSeeded(SIZE + 1000, 2);
    server.setFile('/f.bin', { body: v1, etag: 'W/"v1"', lastModified: null, faults: { throttle: 1024 * 1024 } });
    const added = h.engine.add({ url: server.url('/f.bin'), directory: h.dir, connections: 4 });
    await expect.poll(() => h.engine.get(added.id).downloaded, { timeout: 10_000 }).toBeGreaterThan(300_000);
    await h.engine.pause(added.id);
    server.setFile('/f.bin', { body: v2, etag: 'W/"v2"', lastModified: null });
    h.engine.resume(added.id);
    const s = await h.finished(added.id);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(v2));
  });
});
