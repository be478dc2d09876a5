// End-to-end downloads through the engine against a correct loopback server: many connections,
// one connection, unknown sizes, empty files; the bytes on disk must equal the source's.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useEngineSandbox, type Harness } from '../helpers/engine-harness.js';
import type { FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';

// The probe is a plain GET whose body feeds the first segment; when that segment is full the
// rest of its body, already in socket buffers on an unthrottled loopback, is dropped. That is
// bounded by the transport's buffers, not by the file size.
const PROBE_OVERSHOOT = 8 * 1024 * 1024;

let server: FaultServer;
let h: Harness;

useEngineSandbox({}, (sandbox) => ({ server, h } = sandbox));

describe('a correct server', () => {
  it.each([1, 4, 8, 16])('lands a 6 MiB file byte-identical with %i connections', async (connections) => {
    const body = randomBytesSeeded(6 * 1024 * 1024 + 17, connections);
    server.setFile('/data/file.bin', { body });
    const s = await h.download(server.url('/data/file.bin'), { connections });
    expect(s.status).toBe('completed');
    expect(s.fileName).toBe('file.bin');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    expect(h.files()).toEqual(['file.bin']);
    const ranged = server.requests.filter((r) => r.range);
    if (connections > 1) expect(ranged.length).toBeGreaterThanOrEqual(connections - 1);
    expect(server.bytesServedTwice('/data/file.bin')).toBeLessThanOrEqual(connections > 1 ? PROBE_OVERSHOOT : 0);
    expect(s.resumable).toBe(connections > 1);
  });

  it('uses the probe response as the first segment: one plain GET, almost nothing fetched twice', async () => {
    const body = randomBytesSeeded(2 * 1024 * 1024, 7);
    server.setFile('/a.bin', { body, faults: { throttle: 2 * 1024 * 1024 } });
    const s = await h.download(server.url('/a.bin'), { connections: 4 });
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    expect(server.requests.filter((r) => !r.range)).toHaveLength(1);
    // At a paced rate only what is in flight when the first segment fills is fetched again.
    expect(server.bytesServedTwice('/a.bin')).toBeLessThanOrEqual(256 * 1024);
  });

  it('records progress as segments that partition the file exactly', async () => {
    const body = randomBytesSeeded(3 * 1024 * 1024 + 5, 9);
    server.setFile('/p.bin', { body });
    const s = await h.download(server.url('/p.bin'), { connections: 8 });
    const segments = h.store.segments.list(s.id);
    let next = 0;
    for (const seg of segments) {
      expect(seg.start).toBe(next);
      expect(seg.written).toBe(seg.end! - seg.start + 1);
      next = seg.end! + 1;
    }
    expect(next).toBe(body.length);
  });

  it('downloads a body of unknown length (chunked) on one stream', async () => {
    const body = randomBytesSeeded(1_000_003, 3);
    server.setFile('/chunked', { body, faults: { chunked: true } });
    const s = await h.download(server.url('/chunked'), { connections: 8 });
    expect(s.status).toBe('completed');
    expect(s.size).toBe(body.length);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('downloads an empty file', async () => {
    server.setFile('/empty.txt', { body: Buffer.alloc(0) });
    const s = await h.download(server.url('/empty.txt'));
    expect(s.status).toBe('completed');
    expect(fs.statSync(h.pathOf(s)).size).toBe(0);
  });

  it('names the file after the host when the URL has no path', async () => {
    const body = randomBytesSeeded(1000, 1);
    server.setFile('/', { body });
    const s = await h.download(server.url('/'));
    expect(s.fileName).toBe('127.0.0.1');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });
});

describe('errors that cannot be retried', () => {
  it.each([
    [404, 'HTTP_NOT_FOUND'],
    [403, 'HTTP_FORBIDDEN'],
    [410, 'HTTP_GONE'],
    [401, 'HTTP_UNAUTHORIZED'],
  ])('fails at once on %i with %s and leaves no file', async (code, errorCode) => {
    server.setFile('/x.bin', { body: randomBytesSeeded(1000, 1), faults: { status: { code, times: 100 } } });
    const s = await h.download(server.url('/x.bin'));
    expect(s.status).toBe('failed');
    expect(s.error?.code).toBe(errorCode);
    expect(s.error?.message).toMatch(/HTTP/);
    expect(server.requests).toHaveLength(1);
    expect(h.files()).toEqual([]);
  });

  it('fails with a clear error when nothing listens on the port', async () => {
    const port = server.port;
    await server.close();
    const s = await h.download(`http://127.0.0.1:${port}/gone.bin`);
    expect(s.status).toBe('failed');
    expect(s.error?.code).toBe('CONNECTION_REFUSED');
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.com/x', 'data:text/plain,hi', 'not a url', ''])(
    'refuses %j when added',
    (url) => {
      expect(() => h.engine.add({ url, directory: h.dir })).toThrow(expect.objectContaining({ code: 'INVALID_URL' }));
      expect(h.engine.list()).toHaveLength(0);
    },
  );
});
