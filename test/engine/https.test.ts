// Downloads over https: the lean path (fast-range.ts) speaks TLS itself, with Node verifying the
// certificate; got takes what the lean path does not serve. A certificate that does not verify
// ends the download at once with TLS_CERTIFICATE, on either path, and leaves no file behind.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/engine-harness.js';
import { startFaultServer, type FaultServer, type FaultServerOptions } from '../helpers/fault-server.js';
import { randomBytesSeeded, removeTempDirs, sha256, sha256File } from '../helpers/files.js';
import { startRedirectServer, type RedirectServer } from '../helpers/redirect-server.js';
import { TEST_TLS } from '../helpers/tls-fixture.js';

const MiB = 1024 * 1024;
let server: FaultServer;
let h: Harness;
let redirects: RedirectServer | null = null;

afterEach(async () => {
  await h.close();
  await server.close();
  await redirects?.close();
  redirects = null;
  await removeTempDirs();
});

/** Node's client (got's path) sends `Connection: keep-alive`; the lean path sends no such header. */
const lean = (r: FaultServer['requests'][number]) => r.headers.connection === undefined;

async function trusted(settings: Parameters<typeof createHarness>[0] = {}, serverOptions: FaultServerOptions = {}): Promise<void> {
  server = await startFaultServer({ ...serverOptions, tls: TEST_TLS });
  h = await createHarness(settings, { ca: TEST_TLS.cert });
}

describe('with the certificate trusted', () => {
  it('fetches a big file in pieces on the lean path, over few kept-alive TLS connections', async () => {
    await trusted();
    const body = randomBytesSeeded(40 * MiB + 3, 31);
    server.setFile('/big.bin', { body });
    const s = await h.download(server.url('/big.bin'), { connections: 4 });
    expect(s.status, JSON.stringify(s.error)).toBe('completed');
    expect(s.sha256).toBe(sha256(body));
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    const ranged = server.requests.filter((r) => r.range);
    expect(ranged.length).toBeGreaterThan(4);
    expect(server.requests.every(lean)).toBe(true);
    // Kept alive: sockets carry several pieces each; connections after the first resume its session.
    expect(new Set(ranged.map((r) => r.connection)).size).toBeLessThan(ranged.length);
    expect(server.connectionCount).toBeGreaterThan(1);
    expect(server.resumedSessionCount).toBeGreaterThan(0);
  });

  it('lands 16 connections byte-identical', async () => {
    await trusted();
    const body = randomBytesSeeded(48 * MiB + 17, 32);
    server.setFile('/big.bin', { body });
    const s = await h.download(server.url('/big.bin', 'localhost'), { connections: 16 });
    expect(s.status, JSON.stringify(s.error)).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('whole files of every size around the TLS record and slab sizes arrive intact on one connection', async () => {
    // A probe's body waits for its file while the socket is paused, and TLS still hands on the
    // records it had decrypted: none of those bytes may be lost or misplaced.
    await trusted();
    const sizes = [0, 1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 100_000, 256 * 1024, 256 * 1024 + 1, 700_001];
    const bodies = sizes.map((n, i) => randomBytesSeeded(n, 40 + i));
    bodies.forEach((body, i) => server.setFile(`/f${i}.bin`, { body }));
    // Three rounds over the same kept-alive connection: whether TLS hands on late records
    // depends on timing, and what a probe did to the connection shows in the requests after it.
    for (let round = 0; round < 3; round++) {
      for (const [i, body] of bodies.entries()) {
        const s = await h.download(server.url(`/f${i}.bin`), { connections: 1 });
        expect(s.status, `${sizes[i]} bytes, round ${round}: ${JSON.stringify(s.error)}`).toBe('completed');
        expect(await sha256File(h.pathOf(s)), `${sizes[i]} bytes`).toBe(sha256(body));
      }
    }
    expect(server.requests.every(lean)).toBe(true);
  });

  it('resumes ranges cut by RST and by FIN mid-body where they stopped: the file is whole', async () => {
    await trusted();
    const body = randomBytesSeeded(12 * MiB + 5, 33);
    const CUT = 700_000;
    server.setFile('/cut.bin', { body, faults: { dropAfter: { bytes: CUT, times: 3, mode: 'rst' } } });
    const first = await h.download(server.url('/cut.bin'), { connections: 4 });
    expect(first.status, JSON.stringify(first.error)).toBe('completed');
    expect(await sha256File(h.pathOf(first))).toBe(sha256(body));
    // Each cut response is asked again from past its first byte (what arrived is kept), not from it.
    const bounds = (r: FaultServer['requests'][number]) => {
      const m = /^bytes=(\d+)-(\d+)$/.exec(r.range ?? `bytes=0-${body.length - 1}`)!;
      return { start: Number(m[1]), asked: Number(m[2]) - Number(m[1]) + 1 };
    };
    const start = (r: FaultServer['requests'][number]) => bounds(r).start;
    // The server cuts after exactly CUT bytes; other short answers are pieces whose back half was stolen.
    const cuts = server.requests.filter((r) => r.bodyBytesSent === CUT && bounds(r).asked > CUT);
    expect(cuts.length).toBe(3);
    for (const cut of cuts) {
      expect(server.requests.some((q) => start(q) > start(cut) && start(q) <= start(cut) + CUT), `resumed after ${cut.range ?? 'the probe'}`).toBe(true);
    }

    server.setFile('/fin.bin', { body, faults: { dropAfter: { bytes: 300_000, times: 2, mode: 'fin' } } });
    const second = await h.download(server.url('/fin.bin'), { connections: 4 });
    expect(second.status, JSON.stringify(second.error)).toBe('completed');
    expect(await sha256File(h.pathOf(second))).toBe(sha256(body));
  });

  it('replaces kept-alive TLS sockets the server closed while idle, without counting failures', async () => {
    await trusted({ maxRetries: 0 }, { keepAliveTimeoutMs: 30 });
    const body = randomBytesSeeded(24 * MiB, 38);
    // Slow enough that sockets sit idle past the server's keep-alive timeout between pieces.
    server.setFile('/big.bin', { body, faults: { throttle: 16 * MiB } });
    const first = await h.download(server.url('/big.bin'), { connections: 4 });
    expect(first.status, JSON.stringify(first.error)).toBe('completed');
    await new Promise((r) => setTimeout(r, 100));
    const again = await h.download(server.url('/big.bin'), { connections: 4 });
    expect(again.status, JSON.stringify(again.error)).toBe('completed');
    expect(await sha256File(h.pathOf(again))).toBe(sha256(body));
    expect(server.requests.every(lean)).toBe(true);
  });

  it('hands a chunked https answer to got, which also verifies the certificate', async () => {
    await trusted();
    const body = randomBytesSeeded(3 * MiB + 1, 34);
    server.setFile('/chunked.bin', { body, faults: { chunked: true } });
    const s = await h.download(server.url('/chunked.bin'), { connections: 4 });
    expect(s.status, JSON.stringify(s.error)).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    expect(server.requests.some((r) => !lean(r))).toBe(true);
  });

  it('follows an http link that redirects to https on the lean path', async () => {
    await trusted();
    redirects = await startRedirectServer();
    const body = randomBytesSeeded(6 * MiB + 9, 35);
    server.setFile('/moved.bin', { body });
    redirects.redirect('/old.bin', server.url('/moved.bin', 'localhost'));
    const s = await h.download(redirects.url('/old.bin'), { connections: 4 });
    expect(s.status, JSON.stringify(s.error)).toBe('completed');
    expect(s.fileName).toBe('moved.bin');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    expect(server.requests.every(lean)).toBe(true);
  });
});

describe('with a certificate Ferry cannot verify', () => {
  for (const fastPath of [true, false]) {
    it(`fails at once with TLS_CERTIFICATE and leaves no file (${fastPath ? 'lean path' : 'got'})`, async () => {
      server = await startFaultServer({ tls: TEST_TLS });
      // Not given the certificate: Node's roots do not include it. Retries would be plenty.
      h = await createHarness({ fastPath, maxRetries: 8 });
      server.setFile('/file.bin', { body: randomBytesSeeded(MiB, 36) });
      const s = await h.download(server.url('/file.bin'), { connections: 4 });
      expect(s.status).toBe('failed');
      expect(s.error?.code).toBe('TLS_CERTIFICATE');
      expect(s.error?.message).toMatch(/certificate could not be verified/);
      // One handshake (no retries), no request ever reached the server, and nothing was written.
      expect(server.tcpConnectionCount).toBe(1);
      expect(server.requests).toHaveLength(0);
      expect(h.files()).toEqual([]);
    });
  }
});
