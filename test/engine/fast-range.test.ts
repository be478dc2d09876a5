// The lean plain-http range path (fast-range.ts): it must keep connections alive across
// requests, recover from kept-alive sockets the server closed, and hand every answer it does not
// serve to got without losing or misplacing a byte.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/engine-harness.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, removeTempDirs, sha256, sha256File } from '../helpers/files.js';

let server: FaultServer;
let h: Harness;
const MiB = 1024 * 1024;

afterEach(async () => {
  await h.close();
  await server.close();
  await removeTempDirs();
});

describe('with a kept-alive server', () => {
  beforeEach(async () => {
    server = await startFaultServer();
    h = await createHarness();
  });

  /** Downloads `size` seeded bytes with `connections`; checks the file on disk, returns what else to check. */
  async function landsIdentical(size: number, seed: number, connections: number) {
    const body = randomBytesSeeded(size, seed);
    server.setFile('/big.bin', { body });
    const s = await h.download(server.url('/big.bin'), { connections });
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    return { s, sha: sha256(body), ranged: server.requests.filter((r) => r.range) };
  }

  it('fetches a big file in pieces over few connections: requests reuse their sockets', async () => {
    const { ranged } = await landsIdentical(40 * MiB + 3, 1, 4);
    // Front-first pieces: more requests than connections, and sockets carry several of them.
    expect(ranged.length).toBeGreaterThan(4);
    const sockets = new Set(ranged.map((r) => r.connection));
    expect(sockets.size).toBeLessThan(ranged.length);
    expect(ranged.every((r) => r.status === 206)).toBe(true);
  });

  // With one or two connections each slab is written on the main thread (fast-range.ts), so a
  // range can end inside the socket's read, and the socket must go on reading the next piece's
  // answer. (Small files on one socket, below, are where a socket that stopped shows every time.)
  it('one connection, slabs written inline: every piece after the probe comes on one kept-alive socket', async () => {
    const { ranged } = await landsIdentical(40 * MiB + 5, 3, 1);
    // At least one range was asked on a socket that had just answered one (the probe's closes).
    expect(ranged.length).toBeGreaterThanOrEqual(2);
    // A socket that stopped reading would time out, and its piece would be asked again on another.
    expect(new Set(ranged.map((r) => r.connection)).size).toBe(1);
    expect(ranged.every((r) => r.status === 206)).toBe(true);
  });

  it('two connections, slabs written inline: the file lands byte-identical', async () => {
    const { s, sha } = await landsIdentical(40 * MiB + 7, 4, 2);
    expect(s.sha256).toBe(sha);
  });

  it('a download of many pieces with 16 connections lands byte-identical', async () => {
    const { s, sha } = await landsIdentical(64 * MiB + 11, 2, 16);
    expect(s.sha256).toBe(sha);
  });
});

it('kept-alive sockets the server closed while idle are replaced, not counted as failures', async () => {
  server = await startFaultServer({ keepAliveTimeoutMs: 30 });
  h = await createHarness({ maxRetries: 0 });
  const body = randomBytesSeeded(24 * MiB, 3);
  // Slow enough that sockets sit idle past the server's keep-alive timeout between pieces.
  server.setFile('/big.bin', { body, faults: { throttle: 16 * MiB } });
  const first = await h.download(server.url('/big.bin'), { connections: 4 });
  expect(first.status).toBe('completed');
  await new Promise((r) => setTimeout(r, 100));
  const again = await h.download(server.url('/big.bin'), { connections: 4 });
  expect(again.status, JSON.stringify(again.error)).toBe('completed');
  expect(await sha256File(h.pathOf(again))).toBe(sha256(body));
});

it('answers the lean path does not serve (a chunked 206) go through got: the file is still exact', async () => {
  server = await startFaultServer();
  h = await createHarness();
  const body = randomBytesSeeded(12 * MiB + 5, 4);
  server.setFile('/c.bin', { body, faults: { chunked: true } });
  const s = await h.download(server.url('/c.bin'), { connections: 4 });
  expect(s.status).toBe('completed');
  expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
});

describe('the probe on the lean path', () => {
  /** Answers every GET with a 200 whose headers and body leave in one write; counts requests and sockets. */
  async function startOneWriteServer(files: Map<string, Buffer>) {
    const seen = { requests: [] as { path: string; socket: number; range: boolean }[], sockets: 0 };
    const srv = net.createServer((socket) => {
      const id = ++seen.sockets;
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
          const head = pending.subarray(0, end).toString('latin1');
          pending = pending.subarray(end + 4);
          const target = head.split(' ')[1] ?? '/';
          seen.requests.push({ path: target, socket: id, range: /\r\nrange:/i.test(head) });
          const body = files.get(target);
          if (!body) {
            socket.write('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
            continue;
          }
          const headers = `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
          socket.write(Buffer.concat([Buffer.from(headers, 'latin1'), body]));
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const port = (srv.address() as net.AddressInfo).port;
    return {
      seen,
      url: (p: string) => `http://127.0.0.1:${port}${p}`,
      close: () => new Promise<void>((resolve) => srv.close(() => resolve())),
    };
  }

  it('bodies that arrive with the headers, small and over a slab, land exact; each file is one request on a reused socket', async () => {
    const sizes = [0, 1, 1000, 64 * 1024, 256 * 1024 - 40, 256 * 1024, 300 * 1024, 2 * MiB + 7];
    const files = new Map(sizes.flatMap((size, i) => [[`/f${i}.bin`, randomBytesSeeded(size, 100 + i)] as const, [`/g${i}.bin`, randomBytesSeeded(size, 200 + i)] as const]));
    const one = await startOneWriteServer(files);
    h = await createHarness();
    // startFaultServer is not used here, but afterEach closes `server`.
    server = { close: one.close } as FaultServer;
    for (const [p, body] of files) {
      const s = await h.download(one.url(p), { connections: 1 });
      expect(s.status, `${p}: ${JSON.stringify(s.error)}`).toBe('completed');
      expect(await sha256File(h.pathOf(s)), p).toBe(sha256(body));
      expect(s.sha256, p).toBe(sha256(body));
    }
    // No request was asked twice (got was never needed), and sockets carried several downloads.
    expect(one.seen.requests.map((r) => r.path)).toEqual([...files.keys()]);
    expect(one.seen.requests.every((r) => !r.range)).toBe(true);
    expect(one.seen.sockets).toBeLessThan(files.size / 2);
  });
});

it('a server whose whole-file answers are chunked costs the lean probe once, then got is asked straight away', async () => {
  server = await startFaultServer();
  h = await createHarness();
  const body = randomBytesSeeded(3 * MiB + 1, 5);
  server.setFile('/c.bin', { body, faults: { chunked: true } });
  const first = await h.download(server.url('/c.bin'), { connections: 2 });
  expect(first.status).toBe('completed');
  const probesBefore = server.requests.filter((r) => !r.range).length;
  const second = await h.download(server.url('/c.bin'), { connections: 2 });
  expect(second.status).toBe('completed');
  expect(await sha256File(h.pathOf(second))).toBe(sha256(body));
  // The first download asked twice for the whole file (the lean probe, then got); the second once.
  expect(probesBefore).toBe(2);
  expect(server.requests.filter((r) => !r.range).length - probesBefore).toBe(1);
});
