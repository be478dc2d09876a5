// Integrity: checksums given by the user or sent by the server are verified before the file gets
// its final name; every completed download records its sha-256.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChecksum, serverChecksum } from '../../main/engine/checksum.js';
import { useEngineSandbox, type Harness } from '../helpers/engine-harness.js';
import { type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';

let server: FaultServer;
let h: Harness;

useEngineSandbox({}, (sandbox) => ({ server, h } = sandbox));

const digest = (alg: string, body: Buffer, enc: 'hex' | 'base64' = 'hex') => crypto.createHash(alg).update(body).digest(enc);

describe('parseChecksum', () => {
  it.each([
    ['sha-256=' + 'A'.repeat(64), 'sha-256', 'a'.repeat(64)],
    ['sha256:' + 'b'.repeat(64), 'sha-256', 'b'.repeat(64)],
    ['SHA-512=' + 'c'.repeat(128), 'sha-512', 'c'.repeat(128)],
    ['sha-1=' + 'd'.repeat(40), 'sha-1', 'd'.repeat(40)],
    [' md5 = ' + 'e'.repeat(32) + ' ', 'md5', 'e'.repeat(32)],
  ])('accepts %s', (input, algorithm, hex) => {
    expect(parseChecksum(input)).toEqual({ algorithm, hex, source: 'user' });
  });

  it.each(['', 'sha-256', 'sha-256=xyz', 'sha-256=' + 'a'.repeat(63), 'crc32=deadbeef', 'md5=' + 'a'.repeat(64), 42, null])(
    'refuses %j with INVALID_CHECKSUM',
    (input) => {
      expect(() => parseChecksum(input)).toThrow(expect.objectContaining({ code: 'INVALID_CHECKSUM' }));
    },
  );
});

describe('serverChecksum', () => {
  const body = Buffer.from('hello');
  it.each([
    [{ 'repr-digest': `sha-256=:${digest('sha256', body, 'base64')}:` }, 'sha-256', digest('sha256', body)],
    [{ 'content-digest': `sha-512=:${digest('sha512', body, 'base64')}:, sha-256=:${digest('sha256', body, 'base64')}:` }, 'sha-512', digest('sha512', body)],
    [{ digest: `SHA-256=${digest('sha256', body, 'base64')}` }, 'sha-256', digest('sha256', body)],
    [{ 'content-md5': digest('md5', body, 'base64') }, 'md5', digest('md5', body)],
  ])('reads %j', (headers, algorithm, hex) => {
    expect(serverChecksum(headers)).toEqual({ algorithm, hex, source: 'server' });
  });
  it.each([[{}], [{ 'repr-digest': 'sha-256=:short:' }], [{ digest: 'UNIXsum=30637' }]])('ignores %j', (headers) => {
    expect(serverChecksum(headers)).toBeNull();
  });
});

describe('verification in the engine', () => {
  it('records the sha-256 of every completed download', async () => {
    const body = randomBytesSeeded(700_000, 1);
    server.setFile('/f.bin', { body });
    const s = await h.download(server.url('/f.bin'), { connections: 4 });
    expect(s.sha256).toBe(sha256(body));
    expect(h.store.downloads.get(s.id)!.sha256).toBe(sha256(body));
  });

  // The sha-256 is computed partly while bytes are written in order, partly read back at the
  // end: whatever the path, the recorded value must be the file's.
  it.each([
    ['one connection', 1, undefined],
    ['eight connections', 8, undefined],
    ['ranges ignored (one stream after a fallback)', 8, { ignoreRange: true }],
    ['connections cut twice', 4, { dropAfter: { bytes: 200_000, times: 2 } }],
    ['a chunked body of unknown length', 4, { chunked: true }],
  ] as const)('the recorded sha-256 is the file\'s: %s', async (_label, connections, faults) => {
    const body = randomBytesSeeded(1_500_000 + connections, connections);
    server.setFile('/h.bin', { body, faults });
    const s = await h.download(server.url('/h.bin'), { connections });
    expect(s.status).toBe('completed');
    expect(s.sha256).toBe(sha256(body));
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  // Files of 8 MiB and more are hashed on a worker thread that reads back the in-order prefix
  // while the download runs; the same outcomes must hold on that path.
  it.each([
    ['one connection', 1, undefined],
    ['eight connections', 8, undefined],
    ['ranges ignored (one stream after a fallback)', 8, { ignoreRange: true }],
    ['connections cut twice', 4, { dropAfter: { bytes: 3_000_000, times: 2 } }],
  ] as const)('a big file (hashed while it downloads) records the file\'s sha-256: %s', async (_label, connections, faults) => {
    const body = randomBytesSeeded(9 * 1024 * 1024 + 7, 10 + connections);
    server.setFile('/big.bin', { body, faults });
    const s = await h.download(server.url('/big.bin'), { connections });
    expect(s.status).toBe('completed');
    expect(s.sha256).toBe(sha256(body));
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('a big file paused and resumed records the file\'s sha-256', async () => {
    const body = randomBytesSeeded(9 * 1024 * 1024, 21);
    server.setFile('/big.bin', { body, faults: { throttle: 8 * 1024 * 1024 } });
    const { id } = h.engine.add({ url: server.url('/big.bin'), directory: h.dir, connections: 4 });
    while (h.engine.get(id).downloaded < 3 * 1024 * 1024) await new Promise((r) => setTimeout(r, 10));
    await h.engine.pause(id);
    server.setFile('/big.bin', { body });
    h.engine.resume(id);
    const s = await h.finished(id);
    expect(s.status).toBe('completed');
    expect(s.sha256).toBe(sha256(body));
  });

  it.each(['md5', 'sha-512'])('a big file with a matching %s from the user passes, a wrong one fails', async (alg) => {
    const body = randomBytesSeeded(9 * 1024 * 1024, 22);
    server.setFile('/big.bin', { body });
    const good = await h.download(server.url('/big.bin'), { connections: 4, checksum: `${alg}=${digest(alg.replace('-', ''), body)}` });
    expect(good.status).toBe('completed');
    expect(good.sha256).toBe(sha256(body));
    const bad = await h.download(server.url('/big.bin'), { connections: 4, checksum: `${alg}=${'0'.repeat(alg === 'md5' ? 32 : 128)}` });
    expect(bad.error?.code).toBe('CHECKSUM_MISMATCH');
  });

  it.each(['sha-256', 'sha-512', 'sha-1', 'md5'])('a matching %s given by the user passes', async (alg) => {
    const body = randomBytesSeeded(300_000, 2);
    server.setFile('/f.bin', { body });
    const s = await h.download(server.url('/f.bin'), { checksum: `${alg}=${digest(alg.replace('-', ''), body)}` });
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('a mismatch fails with CHECKSUM_MISMATCH, keeps the data, never presents the file as complete', async () => {
    const body = randomBytesSeeded(300_000, 3);
    server.setFile('/f.bin', { body });
    const s = await h.download(server.url('/f.bin'), { checksum: `sha-256=${'0'.repeat(64)}` });
    expect(s.status).toBe('failed');
    expect(s.error).toEqual({ code: 'CHECKSUM_MISMATCH', message: expect.stringMatching(/does not match the checksum you gave/) });
    expect(h.files()).toEqual(['f.bin.part']);
    expect(fs.statSync(path.join(h.dir, 'f.bin.part')).size).toBe(body.length);
  });

  it('a Repr-Digest from the server is verified: a corrupted body is caught, and retry downloads afresh', async () => {
    const body = randomBytesSeeded(300_000, 4);
    const wrong = Buffer.from(body);
    wrong.writeUInt8(wrong.readUInt8(1234) ^ 0xff, 1234);
    // The server announces the digest of the real file but serves a damaged copy.
    server.setFile('/f.bin', { body: wrong, headers: { 'repr-digest': `sha-256=:${digest('sha256', body, 'base64')}:` } });
    const failed = await h.download(server.url('/f.bin'));
    expect(failed.error?.code).toBe('CHECKSUM_MISMATCH');
    expect(failed.error?.message).toMatch(/the server sent/);
    server.setFile('/f.bin', { body, headers: { 'repr-digest': `sha-256=:${digest('sha256', body, 'base64')}:` } });
    h.engine.retry(failed.id);
    const s = await h.finished(failed.id);
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('refuses a malformed checksum when the download is added', () => {
    expect(() => h.engine.add({ url: server.url('/x'), directory: h.dir, checksum: 'sha-256=nope' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CHECKSUM' }),
    );
    expect(h.engine.list()).toEqual([]);
  });
});
