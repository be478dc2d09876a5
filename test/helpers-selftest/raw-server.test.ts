// The raw server writes exactly the bytes it is given (even ones Node's own server would refuse to
// send), answers ranges like a correct server through serveFile, ends connections as told, and
// logs requests and bytes sent twice.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../helpers/http-get.js';
import { waitFor } from '../helpers/wait.js';
import { chunked, emptyReply, serveFile, startRawServer, statusLine, withoutHeader, type RawServer } from '../helpers/raw-server.js';

let raw: RawServer;
const body = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

beforeAll(async () => {
  raw = await startRawServer();
});
afterAll(async () => {
  await raw.close();
});

/** Sends a GET over a bare socket and returns every byte that came back until the server closed. */
function rawGet(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(raw.port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

describe('raw server', () => {
  it('serveFile answers like a correct server: 200, 206, If-Range mismatch, 416', async () => {
    raw.route('/file', (req) => serveFile({ body, etag: '"e1"' }, req));
    const full = await httpGet(raw.url('/file'));
    expect(full.status).toBe(200);
    expect(full.body.equals(body)).toBe(true);
    expect(full.headers.etag).toBe('"e1"');
    const part = await httpGet(raw.url('/file'), { headers: { range: 'bytes=10-19', 'if-range': '"e1"' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${body.length}`);
    expect(part.body.toString()).toBe('abcdefghij');
    const changed = await httpGet(raw.url('/file'), { headers: { range: 'bytes=10-19', 'if-range': '"old"' } });
    expect(changed.status).toBe(200);
    const past = await httpGet(raw.url('/file'), { headers: { range: `bytes=${body.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${body.length}`);
    expect(raw.requestsFor('/file').map((r) => [r.n, r.status])).toEqual([
      [1, 200],
      [2, 206],
      [3, 200],
      [4, 416],
    ]);
    expect(raw.requestsFor('/file')[1]).toMatchObject({ range: 'bytes=10-19', ifRange: '"e1"' });
  });

  it('writes head lines verbatim, including ones a real server would refuse', async () => {
    raw.route('/verbatim', (req) => {
      const r = serveFile({ body }, req);
      return { ...r, head: [...withoutHeader(r.head, 'etag'), 'Content-Length: 999', 'X-No-Colon-Here'], after: 'fin' };
    });
    const text = await rawGet('/verbatim');
    expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(text.match(/^Content-Length:/gim)).toHaveLength(2);
    expect(text).toContain('\r\nX-No-Colon-Here\r\n\r\n');
    expect(text).not.toMatch(/^ETag:/im);
    expect(text.endsWith(body.toString())).toBe(true);
  });

  it('uses the given line ending', async () => {
    raw.route('/lf', () => ({ ...emptyReply(200), eol: '\n', after: 'fin' }));
    expect(await rawGet('/lf')).toBe('HTTP/1.1 200 OK\nContent-Length: 0\n\n');
  });

  it('keeps a framed response alive for the next request on the same connection', async () => {
    raw.route('/alive', (req) => serveFile({ body }, req));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await httpGet(raw.url('/alive'), { agent });
      await httpGet(raw.url('/alive'), { agent });
    } finally {
      agent.destroy();
    }
    const [a, b] = raw.requestsFor('/alive');
    expect(a!.connection).toBe(b!.connection);
  });

  it('cuts a body by FIN or by RST', async () => {
    raw.route('/fin', (req) => ({ ...serveFile({ body }, req), cutAt: 5 }));
    raw.route('/rst', (req) => ({ ...serveFile({ body }, req), cutAt: 5, after: 'rst' }));
    const fin = await httpGet(raw.url('/fin'));
    expect(fin.complete).toBe(false);
    expect(fin.body.toString()).toBe('01234');
    const rst = await httpGet(raw.url('/rst'));
    expect(rst.complete).toBe(false);
    expect(rst.error).toMatch(/ECONNRESET|aborted/);
  });

  it('hangs without an answer, and stalls after a partial body', async () => {
    raw.route('/hang', () => 'hang');
    await expect(httpGet(raw.url('/hang'), { idleTimeoutMs: 200 })).rejects.toMatchObject({ code: 'timeout' });
    raw.route('/stall', (req) => ({ ...serveFile({ body }, req), cutAt: 3, after: 'stall' }));
    const stalled = await httpGet(raw.url('/stall'), { idleTimeoutMs: 200 });
    expect(stalled).toMatchObject({ complete: false, error: 'timeout' });
    expect(stalled.body.toString()).toBe('012');
  });

  it('resets without a reply', async () => {
    raw.route('/reset', () => 'rst');
    await expect(httpGet(raw.url('/reset'))).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('paces a body in pieces', async () => {
    raw.route('/paced', (req) => ({ ...serveFile({ body }, req), pace: { bytes: 12, everyMs: 100 } }));
    const res = await httpGet(raw.url('/paced'));
    expect(res.body.equals(body)).toBe(true);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(180);
  });

  it('frames chunked bodies, with or without the last chunk', async () => {
    raw.route('/chunked', () => ({ head: [statusLine(200), 'Transfer-Encoding: chunked'], body: chunked(body, 10) }));
    raw.route('/unterminated', () => ({ head: [statusLine(200), 'Transfer-Encoding: chunked'], body: chunked(body, 10, false), after: 'fin' }));
    const ok = await httpGet(raw.url('/chunked'));
    expect(ok.complete).toBe(true);
    expect(ok.body.equals(body)).toBe(true);
    const cut = await httpGet(raw.url('/unterminated'));
    expect(cut.complete).toBe(false);
    expect(cut.body.equals(body)).toBe(true);
  });

  it('counts file bytes sent in more than one response', async () => {
    raw.route('/twice', (req) => serveFile({ body }, req));
    await httpGet(raw.url('/twice'), { headers: { range: 'bytes=0-9' } });
    await httpGet(raw.url('/twice'), { headers: { range: 'bytes=5-14' } });
    await httpGet(raw.url('/twice'), { headers: { range: 'bytes=20-29' } });
    expect(raw.bytesServedTwice('/twice')).toBe(5);
    expect(raw.requestsFor('/twice').map((r) => r.bodyBytesSent)).toEqual([10, 10, 10]);
  });

  it('answers 404 for paths without a route', async () => {
    expect((await httpGet(raw.url('/nowhere'))).status).toBe(404);
  });

  it('close() ends stalled connections too', async () => {
    const other = await startRawServer();
    other.route('/stall', (req) => ({ ...serveFile({ body }, req), cutAt: 1, after: 'stall' }));
    const pending = httpGet(other.url('/stall'), { idleTimeoutMs: 10_000 });
    await waitFor(() => other.requests[0]?.bodyBytesSent === 1, 5000, 'the first byte sent');
    await other.close();
    const res = await pending;
    expect(res.complete).toBe(false);
  });
});
