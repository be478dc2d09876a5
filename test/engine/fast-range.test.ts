// The lean plain-http range path (fast-range.ts): it must keep connections alive across
// requests, recover from kept-alive sockets the server closed, and hand every answer it does not
// serve to got without losing or misplacing a byte.
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

  it('fetches a big file in pieces over few connections: requests reuse their sockets', async () => {
    const body = randomBytesSeeded(40 * MiB + 3, 1);
    server.setFile('/big.bin', { body });
    const s = await h.download(server.url('/big.bin'), { connections: 4 });
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    const ranged = server.requests.filter((r) => r.range);
    // Front-first pieces: more requests than connections, and sockets carry several of them.
    expect(ranged.length).toBeGreaterThan(4);
    const sockets = new Set(ranged.map((r) => r.connection));
    expect(sockets.size).toBeLessThan(ranged.length);
    expect(ranged.every((r) => r.status === 206)).toBe(true);
  });

  it('a download of many pieces with 16 connections lands byte-identical', async () => {
    const body = randomBytesSeeded(64 * MiB + 11, 2);
    server.setFile('/big.bin', { body });
    const s = await h.download(server.url('/big.bin'), { connections: 16 });
    expect(s.status).toBe('completed');
    expect(s.sha256).toBe(sha256(body));
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
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
