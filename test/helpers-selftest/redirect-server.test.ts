// The redirect server sends the Locations it promises, and fetch (a reference client) lands on the
// fault server through them: absolute URLs to another host name and port, relative ones, chains, loops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultServer } from '../helpers/fault-server.js';
import type { FaultServer } from '../helpers/fault-server.js';
import { startRedirectServer } from '../helpers/redirect-server.js';
import type { RedirectServer, RedirectStatus } from '../helpers/redirect-server.js';
import { httpGet } from '../helpers/http-get.js';

let files: FaultServer;
let redirects: RedirectServer;
const body = Buffer.from('the real file\n');

beforeAll(async () => {
  files = await startFaultServer({ files: { '/real/file.txt': { body } } });
  redirects = await startRedirectServer();
});
afterAll(async () => {
  await Promise.all([files.close(), redirects.close()]);
});

describe('redirect server', () => {
  it.each([301, 302, 303, 307, 308] as RedirectStatus[])('%i sends its status and an absolute Location to another host and port', async (status) => {
    const target = files.url('/real/file.txt', 'localhost');
    redirects.redirect(`/abs/${status}`, { location: target, status });
    const raw = await httpGet(redirects.url(`/abs/${status}`));
    expect(raw.status).toBe(status);
    expect(raw.headers.location).toBe(target);

    const res = await fetch(redirects.url(`/abs/${status}`));
    expect(res.url).toBe(target);
    expect(new URL(res.url).port).not.toBe(String(redirects.port));
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('defaults to 302', async () => {
    redirects.redirect('/default', files.url('/real/file.txt'));
    expect((await httpGet(redirects.url('/default'))).status).toBe(302);
  });

  it.each([
    ['/rel/a/start', 'next', '/rel/a/next'],
    ['/rel/b/start', '../up', '/rel/up'],
    ['/rel/c/start', '/rooted', '/rooted'],
  ])('relative Location from %s: %s leads on through %s', async (from, location, resolvedPath) => {
    redirects.redirect(from, location);
    redirects.redirect(resolvedPath, files.url('/real/file.txt'));
    expect((await httpGet(redirects.url(from))).headers.location).toBe(location);
    const before = redirects.requests.length;
    const res = await fetch(redirects.url(from));
    expect(res.url).toBe(files.url('/real/file.txt'));
    expect(redirects.requests.slice(before).map((r) => r.path)).toEqual([from, resolvedPath]);
  });

  it('builds a chain of n hops that ends at the target', async () => {
    const start = redirects.chain('/chain5', 5, files.url('/real/file.txt', 'localhost'));
    const before = redirects.requests.length;
    const res = await fetch(start);
    expect(await res.text()).toBe(body.toString());
    const hops = redirects.requests.slice(before);
    expect(hops.map((h) => h.path)).toEqual(['/chain5', '/chain5/1', '/chain5/2', '/chain5/3', '/chain5/4']);
    expect(hops.every((h) => h.status === 302)).toBe(true);
    // Both kinds of Location appear along the way.
    expect(hops.some((h) => h.location?.startsWith('http://localhost:'))).toBe(true);
    expect(hops.some((h) => h.location?.startsWith('/'))).toBe(true);
  });

  it('builds a loop that a client must give up on', async () => {
    const start = redirects.loop('/loop', 307);
    await expect(fetch(start)).rejects.toThrow();
    const looped = redirects.requests.filter((r) => r.path.startsWith('/loop/'));
    expect(looped.length).toBeGreaterThan(2);
    expect(new Set(looped.map((r) => r.path))).toEqual(new Set(['/loop/a', '/loop/b']));
  });

  it('expires a route after `times` uses with 410 Gone', async () => {
    redirects.redirect('/signed', { location: files.url('/real/file.txt'), times: 1 });
    expect((await httpGet(redirects.url('/signed'))).status).toBe(302);
    const expired = await httpGet(redirects.url('/signed'));
    expect(expired.status).toBe(410);
    expect(expired.headers.location).toBeUndefined();
  });

  it('answers 404 for an unknown path', async () => {
    expect((await httpGet(redirects.url('/nowhere'))).status).toBe(404);
  });
});
