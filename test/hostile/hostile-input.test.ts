// Hostile input, table-driven: URLs (through validateUrl and engine.add), credentials (masked
// wherever shown: maskCredentials, IPC answers, the CLI's output), file names (sanitizeFileName,
// chooseFileName and end to end through Content-Disposition) and IPC payloads. None may crash
// anything; each gets a clear error, or is accepted and made harmless.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FerryError } from '../../main/engine/errors.js';
import { chooseFileName, fileNameFromUrl, sanitizeFileName } from '../../main/engine/file-name.js';
import { MAX_URL_LENGTH, maskCredentials, validateUrl } from '../../main/engine/url-policy.js';
import { ensureBuilt, readDb, runFerry } from '../cli/harness.js';
import { createHarness as createEngineHarness, type Harness as EngineHarness } from '../helpers/engine-harness.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { makeTempDir, randomBytesSeeded, removeTempDirs, sha256, sha256File } from '../helpers/files.js';
import { startRedirectServer, type RedirectServer } from '../helpers/redirect-server.js';
import { createHarness as createIpcHarness, type Harness as IpcHarness } from '../ipc/harness.js';
import { IPC_CASES } from './ipc-cases.js';
import { NAME_CASES, expectSafeName } from './name-cases.js';
import { PASSWORD, URL_CASES } from './url-cases.js';

let h: EngineHarness;
let ipc: IpcHarness;
let server: FaultServer;
let redirects: RedirectServer;

beforeAll(async () => {
  [h, ipc, server, redirects] = await Promise.all([createEngineHarness(), createIpcHarness(), startFaultServer(), startRedirectServer()]);
});
afterAll(async () => {
  await Promise.all([h?.close(), ipc?.close(), server?.close(), redirects?.close()]);
  await removeTempDirs();
});

/** Runs `fn`, which must throw a FerryError with code INVALID_URL and a short, password-free message. */
function expectInvalidUrl(fn: () => unknown): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'refused').toBeInstanceOf(FerryError);
  const err = thrown as FerryError;
  expect(err.code).toBe('INVALID_URL');
  expect(err.message.length).toBeGreaterThan(0);
  expect(err.message.length).toBeLessThanOrEqual(200);
  expect(err.message, 'the error message never shows a password').not.toContain(PASSWORD);
}

const shortLabel = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

// ------------------------------------------------------------------------------------------ URLs
describe('URLs', () => {
  it.each(URL_CASES.map((c) => [shortLabel(c.label), c] as const))('%s', async (_label, c) => {
    const dbRows = h.store.downloads.list().length;
    if (c.href === undefined) {
      expectInvalidUrl(() => validateUrl(c.input));
      expectInvalidUrl(() => h.engine.add({ url: c.input as string, directory: h.dir, paused: true }));
      expect(h.store.downloads.list(), 'nothing stored').toHaveLength(dbRows);
      expect(h.engine.list(), 'nothing queued').toHaveLength(dbRows);
    } else {
      const href = validateUrl(c.input);
      expect(href).toBe(c.href);
      expect(href, 'no whitespace or control characters survive').not.toMatch(/[\s\p{Cc}]/u);
      expect(href.length).toBeLessThanOrEqual(MAX_URL_LENGTH);
      const added = h.engine.add({ url: c.input as string, directory: h.dir, paused: true });
      expect(added.url).toBe(c.href);
      expect(added.status).toBe('paused');
      await h.engine.remove(added.id);
      expect(h.store.downloads.list()).toHaveLength(dbRows);
    }
    expect(fs.readdirSync(h.dir), 'nothing written to the download folder').toEqual([]);
  });
});

// ----------------------------------------------------------------------------------- credentials
const MASK_CASES: Array<{ label: string; input: string; masked?: string }> = [
  { label: 'user and password', input: `http://user:${PASSWORD}@127.0.0.1/x`, masked: 'http://user:***@127.0.0.1/x' },
  { label: 'password only', input: `https://:${PASSWORD}@example.com/`, masked: 'https://:***@example.com/' },
  { label: 'password with an encoded @', input: `http://user:${PASSWORD}%40x@example.com/` },
  { label: 'user only (nothing to hide)', input: 'http://user@example.com/x', masked: 'http://user@example.com/x' },
  { label: 'no credentials', input: 'http://example.com/x', masked: 'http://example.com/x' },
  { label: 'credentials in an invalid URL (bad port)', input: `http://user:${PASSWORD}@example.com:99999/x` },
  { label: 'credentials in an invalid URL (bad IPv6)', input: `http://user:${PASSWORD}@[::1/x` },
  { label: 'not a URL at all', input: 'not a url', masked: 'not a url' },
  { label: 'empty', input: '', masked: '' },
];

describe('credentials are masked wherever shown', () => {
  it.each(MASK_CASES.map((c) => [c.label, c] as const))('maskCredentials: %s', (_label, c) => {
    const masked = maskCredentials(c.input);
    expect(masked).not.toContain(PASSWORD);
    if (c.masked !== undefined) expect(masked).toBe(c.masked);
  });

  it('IPC: a URL with credentials is added, but no answer to the renderer carries the password', async () => {
    const url = `http://user:${PASSWORD}@127.0.0.1:9/secret.bin`;
    const added = await ipc.router.handle('downloads:add', { urls: [url], paused: true });
    expect(added.ok).toBe(true);
    const id = added.ok ? (added.value as { added: Array<{ id: number }> }).added[0]!.id : -1;
    // The engine keeps the password (it needs it for the request) ...
    expect(ipc.engine.get(id).url).toBe(url);
    // ... but what crosses into the renderer, which shows the URL, must not.
    const list = await ipc.router.handle('downloads:list', undefined);
    const details = await ipc.router.handle('downloads:details', { id });
    for (const answer of [added, list, details]) expect(JSON.stringify(answer)).not.toContain(PASSWORD);
    await ipc.engine.remove(id);
  });

  it('a redirect to another host does not take the credentials along', async () => {
    const body = randomBytesSeeded(50_000, 1);
    server.setFile('/cred/target.bin', { body });
    redirects.redirect('/cred/start', server.url('/cred/target.bin', 'localhost'));
    const start = redirects.url('/cred/start').replace('http://', `http://user:${PASSWORD}@`);
    const s = await h.download(start);
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    const sent = server.requests.filter((r) => r.path === '/cred/target.bin');
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) expect(r.headers.authorization, 'no Authorization header to the other host').toBeUndefined();
    expect(s.finalUrl).not.toContain(PASSWORD);
    await h.engine.remove(s.id, { deleteFile: true });
  });
});

describe('credentials in the CLI output', () => {
  let home: string;
  let dir: string;
  let db: string;
  beforeAll(async () => {
    await ensureBuilt();
    home = await makeTempDir('ferry-hostile-home-');
    dir = await makeTempDir('ferry-hostile-cli-');
    db = path.join(home, 'ferry.db');
  }, 180_000);

  it('ferry get of a 404 URL with credentials: the password is not in the output', async () => {
    const url = server.url('/cli/missing.bin').replace('http://', `http://user:${PASSWORD}@`);
    const r = await runFerry(['get', url, '-d', dir, '--db', db], { home });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/HTTP_NOT_FOUND/);
    expect(r.stderr).toContain('user:***@');
    expect(r.stderr + r.stdout).not.toContain(PASSWORD);
  });

  it('ferry get of an invalid URL with credentials: the password is not in the error', async () => {
    const r = await runFerry(['get', `http://user:${PASSWORD}@example.com:99999/x`, '-d', dir, '--db', db], { home });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/INVALID_URL/);
    expect(r.stderr + r.stdout).not.toContain(PASSWORD);
  });

  it('ferry list --json after a completed download with credentials: no password in url or finalUrl', async () => {
    const body = randomBytesSeeded(20_000, 2);
    server.setFile('/cli/ok.bin', { body });
    const url = server.url('/cli/ok.bin').replace('http://', `http://user:${PASSWORD}@`);
    const got = await runFerry(['get', url, '-d', dir, '--db', db], { home });
    expect(got.code, got.stderr).toBe(0);
    expect(got.stderr + got.stdout).not.toContain(PASSWORD);
    expect(await sha256File(path.join(dir, 'ok.bin'))).toBe(sha256(body));
    const stored = readDb(db, (d) => d.prepare('SELECT url FROM downloads WHERE url LIKE ?').all('%ok.bin') as Array<{ url: string }>);
    expect(stored.map((r) => r.url)).toEqual([url]);
    for (const args of [['list'], ['list', '--json']]) {
      const r = await runFerry([...args, '--db', db], { home });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/ok\.bin/);
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain(PASSWORD);
    }
  });
});

// ------------------------------------------------------------------------------------ file names
describe('file names', () => {
  it.each(NAME_CASES.map((c) => [shortLabel(c.label), c] as const))('%s', (_label, c) => {
    const name =
      c.via === 'sanitize'
        ? sanitizeFileName(c.input)
        : c.via === 'disposition'
          ? chooseFileName(c.input ?? undefined, 'http://127.0.0.1/fallback.bin', 'http://127.0.0.1/fallback.bin')
          : chooseFileName(undefined, c.input!, c.input!);
    expectSafeName(name, h.dir);
    if (c.expected !== undefined) expect(name).toBe(c.expected);
    // Sanitizing is idempotent: a stored name sanitizes to itself.
    expect(sanitizeFileName(name)).toBe(name);
  });

  it('fileNameFromUrl never throws on garbage', () => {
    for (const u of ['', 'not a url', 'http://x/%', 'http://x/%E0%A4%A', 'http://x/\u0000', 'http://x/' + '%'.repeat(10_000)]) {
      expect(() => fileNameFromUrl(u)).not.toThrow();
    }
  });
});

/** Names that arrive in a real response: each download must land whole, inside the folder, named safely. */
const E2E_NAMES: Array<{ label: string; name: string; expected?: string }> = [
  { label: 'control characters', name: 'a\u0001b\u001fc\u007f.bin', expected: 'abc.bin' },
  { label: 'right-to-left override', name: 'invoice\u202Efdp.exe', expected: 'invoicefdp.exe' },
  { label: 'zero-width joiners', name: 'pay\u200Dpal\u200D.bin', expected: 'paypal.bin' },
  { label: 'CON', name: 'CON', expected: '_CON' },
  { label: 'aux.txt', name: 'aux.txt', expected: '_aux.txt' },
  { label: 'lpt1', name: 'lpt1', expected: '_lpt1' },
  { label: '300 characters', name: `${'b'.repeat(300)}.bin` },
  { label: '300 multi-byte characters', name: `${'ж'.repeat(300)}.bin` },
  { label: 'trailing dots and spaces', name: 'report.pdf . .', expected: 'report.pdf' },
  { label: 'only dots (falls back to the URL)', name: '....', expected: 'fallback-name.bin' },
  { label: 'empty (falls back to the URL)', name: '', expected: 'fallback-name.bin' },
  { label: 'traversal with separators', name: '../../../../tmp/evil.sh', expected: 'evil.sh' },
];

describe('file names end to end (Content-Disposition through the engine)', () => {
  it.each(E2E_NAMES.map((c) => [c.label, c] as const))('%s', async (label, c) => {
    const body = randomBytesSeeded(4096, label.length);
    const p = `/names/${E2E_NAMES.indexOf(c)}/fallback-name.bin`;
    server.setFile(p, { body, contentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(c.name)}` });
    const s = await h.download(server.url(p), { connections: 1 });
    expect(s.status, JSON.stringify(s.error)).toBe('completed');
    expectSafeName(s.fileName!, h.dir);
    if (c.expected !== undefined) expect(s.fileName).toBe(c.expected);
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    expect(h.files()).toEqual([s.fileName]);
    await h.engine.remove(s.id, { deleteFile: true });
    expect(h.files()).toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------- IPC
describe('IPC payloads', () => {
  it.each(IPC_CASES.map((c) => [c.label, c] as const))('%s', async (_label, c) => {
    const before = JSON.stringify(ipc.engine.list().map((d) => [d.id, d.status, d.position]));
    const result = await ipc.router.handle(c.channel as string, c.payload, c.sender as never);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(c.codes).toContain(result.error.code);
    expect(typeof result.error.message).toBe('string');
    expect(result.error.message.length).toBeLessThanOrEqual(500);
    expect(result.error.message, 'no stack trace crosses the boundary').not.toMatch(/\n\s+at /);
    expect(JSON.stringify(ipc.engine.list().map((d) => [d.id, d.status, d.position])), 'the queue did not change').toBe(before);
    expect(({} as Record<string, unknown>).polluted, 'no prototype pollution').toBeUndefined();
  });

  it('URLs the engine refuses come back one by one in `rejected`; the rest are added, sanitized', async () => {
    const bad = ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'JaVaScRiPt:x', ' ', 'http://', 'http://127.0.0.1:65536/'];
    const result = await ipc.call<{ added: unknown[]; rejected: Array<{ url: string; error: { code: string } }> }>('downloads:add', {
      urls: bad,
      paused: true,
    });
    expect(result.added).toEqual([]);
    expect(result.rejected.map((r) => r.error.code)).toEqual(bad.map(() => 'INVALID_URL'));
    const named = await ipc.call<{ added: Array<{ id: number; fileName: string }> }>('downloads:add', {
      urls: ['http://127.0.0.1:9/x.bin'],
      fileName: 'evil\u202Etxt.exe',
      paused: true,
    });
    expect(named.added[0]!.fileName).toBe('eviltxt.exe');
    await ipc.engine.remove(named.added[0]!.id);
  });

  it('the router still serves after all of that', async () => {
    expect(await ipc.router.handle('downloads:list', undefined)).toMatchObject({ ok: true });
  });
});

// ----------------------------------------------------------------------------------------- count
describe('the table', () => {
  it('has at least 100 hostile inputs', () => {
    const counts = {
      urls: URL_CASES.length,
      credentials: MASK_CASES.length + 2 + 3,
      names: NAME_CASES.length + 1,
      namesEndToEnd: E2E_NAMES.length,
      ipc: IPC_CASES.length + 2,
    };
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    console.log(`hostile inputs: ${total} (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    expect(total).toBeGreaterThanOrEqual(100);
  });
});
