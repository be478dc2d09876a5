// Each fault does what it says, seen from a plain HTTP client: a test that relies on "dropAfter"
// must be able to trust that the body really was cut.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFaultServer } from '../helpers/fault-server.js';
import type { FaultServer, Faults } from '../helpers/fault-server.js';
import { randomBytesSeeded } from '../helpers/files.js';
import { httpGet } from '../helpers/http-get.js';

const body = randomBytesSeeded(200_000, 3);
let server: FaultServer;

beforeEach(async () => {
  server = await startFaultServer();
});
afterEach(() => server.close());

function serve(faults: Faults, data = body): string {
  server.setFile('/f', { body: data, faults });
  return server.url('/f');
}

describe('ranges', () => {
  it('ignoreRange answers 200 with the whole body', async () => {
    const res = await httpGet(serve({ ignoreRange: true }), { headers: { Range: 'bytes=100-199' } });
    expect(res.status).toBe(200);
    expect(res.body.equals(body)).toBe(true);
  });

  it('ignoreIfRange serves 206 although the validator is stale', async () => {
    const res = await httpGet(serve({ ignoreIfRange: true }), { headers: { Range: 'bytes=100-199', 'If-Range': '"old"' } });
    expect(res.status).toBe(206);
    expect(res.body.equals(body.subarray(100, 200))).toBe(true);
  });

  it.each([
    [{ contentRangeOffByOne: true }, 'bytes 100-200/200000', 100],
    [{ contentRangeNoUnit: true }, '100-199/200000', 100],
    [{ rangeBodyLength: 'shorter' }, 'bytes 100-199/200000', 50],
    [{ rangeBodyLength: 'longer' }, 'bytes 100-199/200000', 1124],
  ] as Array<[Faults, string, number]>)('%o: Content-Range %s, body of %i bytes', async (faults, contentRange, length) => {
    const res = await httpGet(serve(faults), { headers: { Range: 'bytes=100-199' } });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(contentRange);
    expect(res.body.length).toBe(length);
    expect(res.headers['content-length']).toBe(String(length));
    expect(res.body.equals(body.subarray(100, 100 + length))).toBe(true);
  });

  it('rangeBodyLength longer pads with zeros past the end of the file', async () => {
    const res = await httpGet(serve({ rangeBodyLength: 'longer' }), { headers: { Range: 'bytes=-10' } });
    expect(res.body.length).toBe(10 + 1024);
    expect(res.body.subarray(0, 10).equals(body.subarray(-10))).toBe(true);
    expect(res.body.subarray(10).every((b) => b === 0)).toBe(true);
  });
});

describe('framing', () => {
  it('noContentLength sends a close-delimited body', async () => {
    const res = await httpGet(serve({ noContentLength: true }));
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers.connection).toBe('close');
    expect(res.body.equals(body)).toBe(true);
  });

  it('chunked sends Transfer-Encoding: chunked without Content-Length', async () => {
    const res = await httpGet(serve({ chunked: true }), { headers: { Range: 'bytes=0-99999' } });
    expect(res.status).toBe(206);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.body.equals(body.subarray(0, 100_000))).toBe(true);
  });
});

describe('broken connections', () => {
  it('dropAfter fin cuts the body after exactly N bytes, for the first `times` responses', async () => {
    const url = serve({ dropAfter: { bytes: 70_000, times: 1 } });
    const first = await httpGet(url);
    expect(first.complete).toBe(false);
    expect(first.body.equals(body.subarray(0, 70_000))).toBe(true);
    const second = await httpGet(url);
    expect(second.complete).toBe(true);
    expect(second.body.equals(body)).toBe(true);
    expect(server.requests.map((r) => r.bodyBytesSent)).toEqual([70_000, 200_000]);
  });

  it('dropAfter 0 still sends the status and headers, then no body', async () => {
    const res = await httpGet(serve({ dropAfter: { bytes: 0 } }));
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('200000');
    expect([res.complete, res.body.length]).toEqual([false, 0]);
  });

  it('dropAfter cuts a chunked body so the client can tell', async () => {
    const res = await httpGet(serve({ chunked: true, dropAfter: { bytes: 1000 } }));
    expect(res.complete).toBe(false);
    expect(res.body.length).toBe(1000);
  });

  it('dropAfter on a close-delimited body looks complete: only the size can tell', async () => {
    const res = await httpGet(serve({ noContentLength: true, dropAfter: { bytes: 1000 } }));
    expect(res.complete).toBe(true);
    expect(res.body.length).toBe(1000);
  });

  // Node's http client reports both kinds of cut as ECONNRESET, so look at the TCP socket itself.
  it.each([
    ['fin', 'end'],
    ['rst', 'ECONNRESET'],
  ] as const)('dropAfter %s ends the TCP connection with %s', async (mode, ending) => {
    const url = new URL(serve({ dropAfter: { bytes: 1000, mode } }));
    const socket = net.connect(Number(url.port), url.hostname);
    socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    const how = await new Promise<string>((resolve) => {
      socket.on('end', () => resolve('end'));
      socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    socket.destroy();
    expect(how).toBe(ending);
    // Headers plus at most the 1000 body bytes: never the whole 200 KB.
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(2000);
  });

  it('dropAfter only counts responses it actually cut', async () => {
    const url = serve({ dropAfter: { bytes: 1000, times: 1 } });
    // A 500-byte range is shorter than the cut point: it is not cut and uses up no "time".
    expect((await httpGet(url, { headers: { Range: 'bytes=0-499' } })).complete).toBe(true);
    expect((await httpGet(url)).complete).toBe(false);
    expect((await httpGet(url)).complete).toBe(true);
  });

  it('stallAfter sends N bytes and then nothing, keeping the socket open', async () => {
    const url = serve({ stallAfter: { bytes: 5000, times: 1 } });
    const stalled = await httpGet(url, { idleTimeoutMs: 300 });
    expect(stalled.error).toBe('timeout');
    expect(stalled.body.equals(body.subarray(0, 5000))).toBe(true);
    expect((await httpGet(url)).body.equals(body)).toBe(true);
  });

  it('status answers the first `times` requests with the code and Retry-After', async () => {
    const url = serve({ status: { code: 503, times: 2, retryAfter: '7' } });
    const results = [await httpGet(url), await httpGet(url, { method: 'HEAD' }), await httpGet(url)];
    expect(results.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(results[0]!.headers['retry-after']).toBe('7');
    expect(results[2]!.body.equals(body)).toBe(true);
  });

  it('setFaults heals a file and restarts the counters', async () => {
    const url = serve({ status: { code: 500, times: 99 } });
    expect((await httpGet(url)).status).toBe(500);
    server.setFaults('/f', undefined);
    expect((await httpGet(url)).status).toBe(200);
  });
});

describe('throttle', () => {
  it('limits each response to roughly the given rate', async () => {
    // 64 KiB at 128 KiB/s should take about 0.5 s; the bounds only catch "not throttled at all".
    const res = await httpGet(serve({ throttle: 128 * 1024 }), { headers: { Range: 'bytes=0-65535' } });
    expect(res.body.equals(body.subarray(0, 65536))).toBe(true);
    expect(res.elapsedMs).toBeGreaterThan(350);
    expect(res.elapsedMs).toBeLessThan(5000);
  });

  it('sharedThrottle holds all responses together to the rate: four at once take four times one', async () => {
    // 4 × 64 KiB at 256 KiB/s shared: about 1 s, where a per-response limit would take 0.25 s.
    const url = serve({ sharedThrottle: 256 * 1024 });
    const started = performance.now();
    const all = await Promise.all([0, 1, 2, 3].map((i) => httpGet(url, { headers: { Range: `bytes=${i * 65536}-${i * 65536 + 65535}` } })));
    all.forEach((res, i) => expect(res.body.equals(body.subarray(i * 65536, (i + 1) * 65536))).toBe(true));
    expect(performance.now() - started).toBeGreaterThan(700);
  });

  it('composes with dropAfter', async () => {
    const res = await httpGet(serve({ throttle: 100_000, dropAfter: { bytes: 10_000 } }));
    expect(res.complete).toBe(false);
    expect(res.body.length).toBe(10_000);
    expect(res.elapsedMs).toBeGreaterThan(50);
  });
});

describe('changeAfterRequests', () => {
  it('replaces the file with a new version and new validators after n requests', async () => {
    const v2 = randomBytesSeeded(150_000, 4);
    const url = serve({ changeAfterRequests: { requests: 1, body: v2 } });
    const first = await httpGet(url, { headers: { Range: 'bytes=0-999' } });
    expect(first.body.equals(body.subarray(0, 1000))).toBe(true);
    // The resume of a client holding the old ETag gets the whole new file, not a spliced range.
    const resumed = await httpGet(url, { headers: { Range: 'bytes=1000-', 'If-Range': first.headers.etag! } });
    expect(resumed.status).toBe(200);
    expect(resumed.body.equals(v2)).toBe(true);
    expect(resumed.headers.etag).not.toBe(first.headers.etag);
    expect(resumed.headers['last-modified']).not.toBe(first.headers['last-modified']);
  });

  it('with ignoreIfRange, splices the new version into a stale resume', async () => {
    const v2 = randomBytesSeeded(200_000, 5);
    const url = serve({ ignoreIfRange: true, changeAfterRequests: { requests: 1, body: v2, etag: null } });
    const first = await httpGet(url, { headers: { Range: 'bytes=0-999' } });
    const resumed = await httpGet(url, { headers: { Range: 'bytes=1000-', 'If-Range': first.headers.etag! } });
    expect(resumed.status).toBe(206);
    expect(resumed.headers.etag).toBeUndefined();
    expect(resumed.body.equals(v2.subarray(1000))).toBe(true);
  });
});

describe('statistics', () => {
  it('bytesServedTwice counts only overlapping bytes, including those of cut responses', async () => {
    const url = serve({ dropAfter: { bytes: 30, times: 1 } });
    const ranges = ['bytes=0-99', 'bytes=0-99', 'bytes=50-149', 'bytes=100-199', 'bytes=1000-1099'];
    for (const range of ranges) await httpGet(url, { headers: { Range: range } });
    // Sent: [0,30) cut, [0,100), [50,150), [100,200), [1000,1100). Twice: [0,30) and [50,150).
    expect(server.bytesServedTwice('/f')).toBe(130);
    expect(server.totalBodyBytes('/f')).toBe(430);
    server.resetStats();
    expect([server.bytesServedTwice('/f'), server.totalBodyBytes('/f'), server.requests.length]).toEqual([0, 0, 0]);
  });
});
