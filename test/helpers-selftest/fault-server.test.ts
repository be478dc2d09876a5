// The fault server's correct behaviour: if the baseline is wrong, every engine test built on it
// proves nothing. Plain http requests, no engine code.
import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultServer } from '../helpers/fault-server.js';
import type { FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256 } from '../helpers/files.js';
import { httpGet } from '../helpers/http-get.js';
import { waitFor } from '../helpers/wait.js';

const body = randomBytesSeeded(1000, 1);
let server: FaultServer;

beforeEach(async () => {
  server = await startFaultServer();
  server.setFile('/f.bin', { body });
});
afterEach(() => server.close());

describe('plain GET and HEAD', () => {
  it('serves the whole file with validators and Accept-Ranges', async () => {
    const res = await httpGet(server.url('/f.bin'));
    expect(res.status).toBe(200);
    expect(res.body.equals(body)).toBe(true);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]+"$/);
    expect(Date.parse(res.headers['last-modified'] ?? '')).not.toBeNaN();
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const res = await httpGet(server.url('/f.bin'), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.body.length).toBe(0);
    const ranged = await httpGet(server.url('/f.bin'), { method: 'HEAD', headers: { Range: 'bytes=10-19' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers['content-range']).toBe('bytes 10-19/1000');
    expect(ranged.headers['content-length']).toBe('10');
  });

  it('answers 404 for a path it does not serve, and after removeFile', async () => {
    expect((await httpGet(server.url('/nope'))).status).toBe(404);
    server.removeFile('/f.bin');
    expect((await httpGet(server.url('/f.bin'))).status).toBe(404);
  });

  it('derives the ETag from content, and omits validators set to null', async () => {
    server.setFile('/same.bin', { body: Buffer.from(body) });
    server.setFile('/other.bin', { body: randomBytesSeeded(1000, 2) });
    server.setFile('/bare.bin', { body, etag: null, lastModified: null, contentDisposition: 'attachment; filename="x.bin"' });
    const [a, same, other, bare] = await Promise.all(
      ['/f.bin', '/same.bin', '/other.bin', '/bare.bin'].map((p) => httpGet(server.url(p), { method: 'HEAD' })),
    );
    expect(same!.headers.etag).toBe(a!.headers.etag);
    expect(other!.headers.etag).not.toBe(a!.headers.etag);
    expect(bare!.headers.etag).toBeUndefined();
    expect(bare!.headers['last-modified']).toBeUndefined();
    expect(bare!.headers['content-disposition']).toBe('attachment; filename="x.bin"');
  });

  it('serves an empty file, and finds every range of it unsatisfiable', async () => {
    server.setFile('/empty', { body: Buffer.alloc(0) });
    const full = await httpGet(server.url('/empty'));
    expect([full.status, full.body.length, full.headers['content-length']]).toEqual([200, 0, '0']);
    const ranged = await httpGet(server.url('/empty'), { headers: { Range: 'bytes=0-' } });
    expect(ranged.status).toBe(416);
    expect(ranged.headers['content-range']).toBe('bytes */0');
  });
});

describe('Range', () => {
  it.each([
    ['bytes=0-99', 206, 0, 99],
    ['bytes=900-', 206, 900, 999],
    ['bytes=-100', 206, 900, 999],
    ['bytes=-5000', 206, 0, 999],
    ['bytes=990-5000', 206, 990, 999],
    ['bytes=999-999', 206, 999, 999],
    ['bytes=0-0', 206, 0, 0],
  ])('%s → %i bytes %i-%i', async (range, status, start, end) => {
    const res = await httpGet(server.url('/f.bin'), { headers: { Range: range } });
    expect(res.status).toBe(status);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
    expect(res.headers['content-length']).toBe(String(end - start + 1));
    expect(res.body.equals(body.subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0'])('%s → 416 with bytes */1000', async (range) => {
    const res = await httpGet(server.url('/f.bin'), { headers: { Range: range } });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe('bytes */1000');
    expect(res.body.length).toBe(0);
  });

  // A server may ignore a Range it does not understand; a full 200 is the correct answer.
  it.each(['bytes=5-2', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-', 'bytes=a-b'])('%s → 200 full body', async (range) => {
    const res = await httpGet(server.url('/f.bin'), { headers: { Range: range } });
    expect(res.status).toBe(200);
    expect(res.body.equals(body)).toBe(true);
  });
});

describe('If-Range', () => {
  it('honours a matching strong ETag or exact Last-Modified, and sends everything otherwise', async () => {
    const head = await httpGet(server.url('/f.bin'), { method: 'HEAD' });
    const etag = head.headers.etag!;
    const lastModified = head.headers['last-modified']!;
    const cases: Array<[string, number]> = [
      [etag, 206],
      ['"stale"', 200],
      [`W/${etag}`, 200],
      [lastModified, 206],
      [new Date(Date.parse(lastModified) + 1000).toUTCString(), 200],
    ];
    for (const [ifRange, status] of cases) {
      const res = await httpGet(server.url('/f.bin'), { headers: { Range: 'bytes=100-199', 'If-Range': ifRange } });
      expect({ ifRange, status: res.status }).toEqual({ ifRange, status });
      expect(res.body.equals(status === 206 ? body.subarray(100, 200) : body)).toBe(true);
    }
  });

  it('never matches a weak ETag, even its own', async () => {
    server.setFile('/weak', { body, etag: 'W/"v1"' });
    const res = await httpGet(server.url('/weak'), { headers: { Range: 'bytes=0-9', 'If-Range': 'W/"v1"' } });
    expect(res.status).toBe(200);
  });
});

describe('connections', () => {
  it('keeps a connection alive across requests', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await httpGet(server.url('/f.bin'), { agent });
      await httpGet(server.url('/f.bin'), { agent, headers: { Range: 'bytes=0-9' } });
      const [first, second] = server.requests;
      expect(second!.connection).toBe(first!.connection);
      expect(server.connectionCount).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('records method, path, range, If-Range, status and body bytes of each request', async () => {
    await httpGet(server.url('/f.bin?x=1'), { headers: { Range: 'bytes=0-9', 'If-Range': '"nope"' } });
    await httpGet(server.url('/f.bin'), { method: 'HEAD' });
    expect(server.requests.map(({ method, path, range, ifRange, status, bodyBytesSent }) => ({ method, path, range, ifRange, status, bodyBytesSent }))).toEqual([
      { method: 'GET', path: '/f.bin', range: 'bytes=0-9', ifRange: '"nope"', status: 200, bodyBytesSent: 1000 },
      { method: 'HEAD', path: '/f.bin', range: undefined, ifRange: undefined, status: 200, bodyBytesSent: 0 },
    ]);
    expect(server.requests[0]!.headers['if-range']).toBe('"nope"');
  });

  it('close() ends even while a response is stalled', async () => {
    server.setFile('/stall', { body, faults: { stallAfter: { bytes: 10 } } });
    const pending = httpGet(server.url('/stall'), { idleTimeoutMs: 60_000 });
    await waitFor(() => server.requests.some((r) => r.bodyBytesSent === 10));
    await server.close();
    const res = await pending;
    expect(res.complete).toBe(false);
    expect(res.body.length).toBe(10);
  });

  it('serves a large file in parallel ranges without serving a byte twice', async () => {
    const big = randomBytesSeeded(32 * 1024 * 1024, 7);
    server.setFile('/big', { body: big });
    const part = big.length / 8;
    const parts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        httpGet(server.url('/big'), { headers: { Range: `bytes=${i * part}-${(i + 1) * part - 1}` } }),
      ),
    );
    expect(sha256(Buffer.concat(parts.map((p) => p.body)))).toBe(sha256(big));
    expect(server.bytesServedTwice('/big')).toBe(0);
    expect(server.totalBodyBytes('/big')).toBe(big.length);
  });
});
