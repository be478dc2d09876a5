// Redirects across host names and ports, and file names from hostile servers.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/engine-harness.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, removeTempDirs, sha256, sha256File } from '../helpers/files.js';
import { HOSTILE_NAMES } from '../helpers/hostile-names.js';
import { startRedirectServer, type RedirectServer } from '../helpers/redirect-server.js';

let server: FaultServer;
let redirects: RedirectServer;
let h: Harness;

beforeEach(async () => {
  server = await startFaultServer();
  redirects = await startRedirectServer();
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
  await server.close();
  await redirects.close();
  await removeTempDirs();
});

describe('redirects', () => {
  it('follows a redirect to another host name and port, and fetches ranges from the final URL', async () => {
    const body = randomBytesSeeded(2 * 1024 * 1024, 5);
    server.setFile('/real/file.iso', { body });
    redirects.redirect('/get', server.url('/real/file.iso', 'localhost'));
    const s = await h.download(redirects.url('/get'), { connections: 4 });
    expect(s.status).toBe('completed');
    expect(s.finalUrl).toBe(server.url('/real/file.iso', 'localhost'));
    expect(s.fileName).toBe('file.iso');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    // Only the probe went through the redirect; the ranges went straight to the final URL.
    expect(redirects.requests).toHaveLength(1);
  });

  it('follows a chain of relative and absolute redirects', async () => {
    const body = randomBytesSeeded(500_000, 6);
    server.setFile('/z.bin', { body });
    const start = redirects.chain('/c', 5, server.url('/z.bin'));
    const s = await h.download(start);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('a redirect loop fails with a clear error', async () => {
    const s = await h.download(redirects.loop('/loop'));
    expect(s.status).toBe('failed');
    expect(s.error?.code).toBe('TOO_MANY_REDIRECTS');
    expect(h.files()).toEqual([]);
  });
});

describe('hostile file names', () => {
  it.each(HOSTILE_NAMES.map((n) => [n.label, n] as const))('%s lands inside the folder under a safe name', async (_label, n) => {
    const body = randomBytesSeeded(10_000, 3);
    server.setFile('/dl', { body, contentDisposition: n.header });
    const s = await h.download(server.url('/dl'));
    expect(s.status).toBe('completed');
    const name = s.fileName!;
    expect(name).not.toMatch(/[/\\\u0000-\u001f\u202e]/);
    expect(name).not.toMatch(/^\.+$/);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(path.dirname(path.resolve(h.dir, name))).toBe(h.dir);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  });

  it('prefers the RFC 8187 filename* over filename', async () => {
    server.setFile('/dl', { body: Buffer.from('x'), contentDisposition: `attachment; filename="plain.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt` });
    const s = await h.download(server.url('/dl'));
    expect(s.fileName).toBe('€ rates.txt');
  });

  it('never overwrites an existing file: the new one becomes name (1).ext', async () => {
    const body = randomBytesSeeded(50_000, 8);
    server.setFile('/report.pdf', { body });
    fs.writeFileSync(path.join(h.dir, 'report.pdf'), 'mine, do not touch');
    const first = await h.download(server.url('/report.pdf'));
    const second = await h.download(server.url('/report.pdf'));
    expect(first.fileName).toBe('report (1).pdf');
    expect(second.fileName).toBe('report (2).pdf');
    expect(fs.readFileSync(path.join(h.dir, 'report.pdf'), 'utf8')).toBe('mine, do not touch');
    expect(await sha256File(h.pathOf(second))).toBe(sha256(body));
  });

  it('never replaces a folder, even with overwrite: a typed error, the folder intact, the data kept in the .part', async () => {
    const body = randomBytesSeeded(200_000, 9);
    server.setFile('/photos', { body });
    const folder = path.join(h.dir, 'photos');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.jpg'), 'mine');
    const s = await h.download(server.url('/photos'), { fileName: 'photos', overwrite: true });
    expect(s.status).toBe('failed');
    expect(s.error?.code).toBe('OUTPUT_IS_FOLDER');
    expect(s.error?.message).toMatch(/folder/);
    expect(fs.readdirSync(folder)).toEqual(['a.jpg']);
    expect(await sha256File(path.join(h.dir, 'photos.part'))).toBe(sha256(body));
  });

  it('two downloads of the same name at once get different names', async () => {
    server.setFile('/same.bin', { body: randomBytesSeeded(300_000, 1), faults: { throttle: 1024 * 1024 } });
    const a = h.engine.add({ url: server.url('/same.bin'), directory: h.dir });
    const b = h.engine.add({ url: server.url('/same.bin'), directory: h.dir });
    const [sa, sb] = await Promise.all([h.finished(a.id), h.finished(b.id)]);
    expect(new Set([sa.fileName, sb.fileName])).toEqual(new Set(['same.bin', 'same (1).bin']));
  });
});
