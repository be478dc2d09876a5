// `ferry get` refusing what it must not do: URLs other than http(s) (exit 1, one line each) and
// malformed command lines (exit 2). No server is involved, so the cases run concurrently, each in
// its own scratch folders, and every one checks that nothing was written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { ensureBuilt, lines, runFerry } from './harness.js';

beforeAll(ensureBuilt, 120_000);
afterAll(removeTempDirs);

async function scratch(): Promise<{ home: string; dir: string; db: string }> {
  const home = await makeTempDir('ferry-cli-usage-home-');
  const dir = await makeTempDir('ferry-cli-usage-');
  return { home, dir, db: path.join(home, 'state.db') };
}

describe.concurrent('ferry get: refused URLs', () => {
  const invalid = ['ftp://x', 'javascript:alert(1)', 'not a url'];

  it.for(invalid)('refuses %j with exit 1, one clear line naming it, and writes nothing', async (url, { expect }) => {
    const { home, dir, db } = await scratch();
    const r = await runFerry(['get', url, '-o', path.join(dir, 'out'), '--db', db], { home });
    expect(r.code).toBe(1);
    const errs = lines(r.stderr);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain(url);
    expect(errs[0]).toMatch(/INVALID_URL/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses all three in one run, one line each, and adds nothing to the database', async ({ expect }) => {
    const { home, dir, db } = await scratch();
    const r = await runFerry(['get', ...invalid, '-d', dir, '--db', db], { home });
    expect(r.code).toBe(1);
    const errs = lines(r.stderr);
    expect(errs).toHaveLength(3);
    invalid.forEach((url, i) => expect(errs[i]).toContain(url));
    expect(fs.readdirSync(dir)).toEqual([]);
    const list = await runFerry(['list', '--json', '--db', db], { home });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });
});

describe.concurrent('ferry get: usage errors exit 2', () => {
  it.for([
    ['-o with two URLs', ['get', 'http://127.0.0.1:1/a', 'http://127.0.0.1:1/b', '-o', 'OUT']],
    ['-o with -d', ['get', 'http://127.0.0.1:1/a', '-o', 'OUT', '-d', 'DIR']],
    ['-c 0', ['get', 'http://127.0.0.1:1/a', '-c', '0', '-d', 'DIR']],
    ['-c 33', ['get', 'http://127.0.0.1:1/a', '-c', '33', '-d', 'DIR']],
    ['-j 0', ['get', 'http://127.0.0.1:1/a', '-j', '0', '-d', 'DIR']],
    ['--fewer-connections-above -1', ['get', 'http://127.0.0.1:1/a', '--fewer-connections-above', '-1', '-d', 'DIR']],
    ['--fewer-connections-above fast', ['get', 'http://127.0.0.1:1/a', '--fewer-connections-above', 'fast', '-d', 'DIR']],
    ['no URL at all', ['get', '-d', 'DIR']],
    ['an unknown option', ['get', 'http://127.0.0.1:1/a', '--frobnicate', '-d', 'DIR']],
    ['a download id that is not a number', ['pause', 'abc']],
  ] as const)('%s, writing nothing', async ([, argv], { expect }) => {
    const { home, dir, db } = await scratch();
    const args = argv.map((a) => (a === 'OUT' ? path.join(dir, 'out') : a === 'DIR' ? dir : a));
    const r = await runFerry([...args, '--db', db], { home });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim()).not.toBe('');
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(fs.existsSync(db)).toBe(false);
  });
});
