// `ferry get` as a user runs it: the built CLI in a child process against a real loopback server,
// each test checking the sha-256 of what landed on disk, or the exact exit code and message.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { makeTempDir, randomBytesSeeded, removeTempDirs, sha256, sha256File } from '../helpers/files.js';
import { KiB, MiB, ensureBuilt, lines, readDb, runFerry } from './harness.js';

let server: FaultServer;
let home: string;
let dir: string;

const BIG = randomBytesSeeded(8 * MiB, 101);
const SMALL = randomBytesSeeded(300 * KiB, 102);

beforeAll(async () => {
  await ensureBuilt();
  server = await startFaultServer({
    files: {
      '/big.bin': { body: BIG },
      '/files/report.pdf': { body: SMALL },
    },
  });
}, 120_000);

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  home = await makeTempDir('ferry-cli-get-home-');
  dir = await makeTempDir('ferry-cli-get-');
  server.resetStats();
});

afterEach(removeTempDirs);

const ESC = '\u001b';

describe('the command as installed', () => {
  it('runs through its own shebang line (its heap flags included) and lands the file byte-identical', async () => {
    const out = path.join(dir, 'direct.bin');
    const r = await runFerry(['get', server.url('/big.bin'), '-o', out, '-c', '16', '--db', path.join(home, 'state.db')], { home, direct: true });
    expect(r.code, r.stderr).toBe(0);
    expect(await sha256File(out)).toBe(sha256(BIG));
    expect(fs.readdirSync(dir)).toEqual(['direct.bin']);
  });
});

describe('ferry get -o FILE', () => {
  it('downloads with 4 connections to exactly FILE, byte-identical, leaving no .part', async () => {
    const out = path.join(dir, 'out.bin');
    const db = path.join(home, 'state.db');
    const r = await runFerry(['get', server.url('/big.bin'), '-o', out, '-c', '4', '--db', db], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(await sha256File(out)).toBe(sha256(BIG));
    expect(fs.readdirSync(dir)).toEqual(['out.bin']);
    // Four connections: the probe plus at least three ranged requests reached the server.
    const ranged = server.requests.filter((q) => q.path === '/big.bin' && q.status === 206);
    expect(ranged.length).toBeGreaterThanOrEqual(3);
    // The state went to --db, not to $FERRY_DB.
    expect(fs.existsSync(db)).toBe(true);
    expect(fs.existsSync(path.join(home, 'env-default.db'))).toBe(false);
    const row = readDb(db, (d) => d.prepare('SELECT status, size FROM downloads').all());
    expect(row).toEqual([{ status: 'completed', size: BIG.length }]);
  });

  it('accepts --db after the subcommand (`ferry get URL --db PATH`) and before it (`ferry --db PATH get URL`)', async () => {
    const dbAfter = path.join(home, 'after.db');
    const after = await runFerry(['get', server.url('/files/report.pdf'), '-o', path.join(dir, 'a.pdf'), '--db', dbAfter], { home });
    expect(after.code, after.stderr).toBe(0);
    expect(fs.existsSync(dbAfter)).toBe(true);

    const dbBefore = path.join(home, 'before.db');
    const before = await runFerry(['--db', dbBefore, 'get', server.url('/files/report.pdf'), '-o', path.join(dir, 'b.pdf')], { home });
    expect(before.code, before.stderr).toBe(0);
    expect(fs.existsSync(dbBefore)).toBe(true);

    expect(await sha256File(path.join(dir, 'a.pdf'))).toBe(sha256(SMALL));
    expect(await sha256File(path.join(dir, 'b.pdf'))).toBe(sha256(SMALL));
    expect(fs.existsSync(path.join(home, 'env-default.db'))).toBe(false);
  });

  it('keeps its state in $FERRY_DB when --db is not given', async () => {
    const envDb = path.join(home, 'from-env.db');
    const out = path.join(dir, 'env.pdf');
    const r = await runFerry(['get', server.url('/files/report.pdf'), '-o', out], { home, env: { FERRY_DB: envDb } });
    expect(r.code, r.stderr).toBe(0);
    expect(await sha256File(out)).toBe(sha256(SMALL));
    const list = await runFerry(['list', '--json'], { home, env: { FERRY_DB: envDb } });
    expect(list.code, list.stderr).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<{ status: string; fileName: string }>;
    expect(rows.map((d) => [d.status, d.fileName])).toEqual([['completed', 'env.pdf']]);
  });

  it('refuses to replace an existing unrelated FILE, leaves it byte-identical and points at --overwrite', async () => {
    const out = path.join(dir, 'precious.txt');
    const precious = Buffer.from('my thesis, the only copy\n');
    fs.writeFileSync(out, precious);
    const db = path.join(home, 'state.db');
    const r = await runFerry(['get', server.url('/files/report.pdf'), '-o', out, '--db', db], { home });
    expect(r.code).toBe(1);
    expect(fs.readFileSync(out).equals(precious)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['precious.txt']);
    const errors = lines(r.stderr).filter((l) => /fail|exist/i.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(out);
    expect(errors[0]).toContain('--overwrite');

    const again = await runFerry(['get', server.url('/files/report.pdf'), '-o', out, '--db', db, '--overwrite'], { home });
    expect(again.code, again.stderr).toBe(0);
    expect(await sha256File(out)).toBe(sha256(SMALL));
    expect(fs.readdirSync(dir)).toEqual(['precious.txt']);
  });

  it.for([
    ['an existing folder', false, false],
    ['an existing folder, with --overwrite', false, true],
    ['a path ending in a slash', true, false],
  ] as const)('refuses -o naming %s before fetching anything, and leaves the folder as it was', async ([, slash, overwrite]) => {
    const folder = path.join(dir, 'albums');
    if (!slash) {
      fs.mkdirSync(folder);
      fs.writeFileSync(path.join(folder, 'keep.txt'), 'mine');
    }
    const db = path.join(home, 'state.db');
    const args = ['get', server.url('/files/report.pdf'), '-o', slash ? folder + path.sep : folder, '--db', db];
    const r = await runFerry(overwrite ? [...args, '--overwrite'] : args, { home });
    expect(r.code).toBe(1);
    const errors = lines(r.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('(OUTPUT_IS_FOLDER)');
    expect(errors[0]).toContain('-d');
    expect(server.totalBodyBytes('/files/report.pdf')).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(slash ? [] : ['albums']);
    if (!slash) expect(fs.readdirSync(folder)).toEqual(['keep.txt']);
  });

  it('makes the missing folders of -o FILE, as -d does', async () => {
    const out = path.join(dir, 'new', 'deeper', 'report.pdf');
    const r = await runFerry(['get', server.url('/files/report.pdf'), '-o', out, '--db', path.join(home, 'state.db')], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(await sha256File(out)).toBe(sha256(SMALL));
    expect(fs.readdirSync(path.dirname(out))).toEqual(['report.pdf']);
  });

  it('after a 404, the same command retries once the file is there, and lands it', async () => {
    const out = path.join(dir, 'later.pdf');
    const db = path.join(home, 'state.db');
    const args = ['get', server.url('/later/later.pdf'), '-o', out, '--db', db];
    server.removeFile('/later/later.pdf');
    const first = await runFerry(args, { home });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/404/);
    expect(fs.readdirSync(dir)).toEqual([]);
    server.setFile('/later/later.pdf', { body: SMALL });
    const second = await runFerry(args, { home });
    expect(second.code, second.stderr).toBe(0);
    expect(await sha256File(out)).toBe(sha256(SMALL));
    expect(fs.readdirSync(dir)).toEqual(['later.pdf']);
    const rows = readDb(db, (d) => d.prepare('SELECT status FROM downloads').all());
    expect(rows).toEqual([{ status: 'completed' }]);
  });

  it('says the file is already complete when the same command runs again, without fetching it', async () => {
    const out = path.join(dir, 'twice.pdf');
    const db = path.join(home, 'state.db');
    const first = await runFerry(['get', server.url('/files/report.pdf'), '-o', out, '--db', db], { home });
    expect(first.code, first.stderr).toBe(0);
    const served = server.totalBodyBytes('/files/report.pdf');
    const second = await runFerry(['get', server.url('/files/report.pdf'), '-o', out, '--db', db], { home });
    expect(second.code, second.stderr).toBe(0);
    expect(server.totalBodyBytes('/files/report.pdf')).toBe(served);
    expect(await sha256File(out)).toBe(sha256(SMALL));
    expect(fs.readdirSync(dir)).toEqual(['twice.pdf']);
  });
});

describe('ferry get --checksum', () => {
  it('lands the file when it matches, and exits 1 keeping only the .part when it does not', async () => {
    const db = path.join(home, 'state.db');
    const good = path.join(dir, 'good.pdf');
    const ok = await runFerry(['get', server.url('/files/report.pdf'), '-o', good, '--checksum', `sha-256=${sha256(SMALL)}`, '--db', db], { home });
    expect(ok.code, ok.stderr).toBe(0);
    expect(await sha256File(good)).toBe(sha256(SMALL));

    const bad = path.join(dir, 'bad.pdf');
    const wrong = await runFerry(['get', server.url('/files/report.pdf'), '-o', bad, '--checksum', `md5=${'0'.repeat(32)}`, '--db', db], { home });
    expect(wrong.code).toBe(1);
    expect(lines(wrong.stderr).filter((l) => l.includes('CHECKSUM_MISMATCH'))).toHaveLength(1);
    expect(fs.existsSync(bad)).toBe(false);
    expect(fs.statSync(`${bad}.part`).size).toBe(SMALL.length);
  });

  it('refuses a malformed checksum before fetching anything', async () => {
    const r = await runFerry(['get', server.url('/files/report.pdf'), '-o', path.join(dir, 'x.pdf'), '--checksum', 'crc32=1234', '--db', path.join(home, 's.db')], { home });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/INVALID_CHECKSUM/);
    expect(server.requests).toHaveLength(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('ferry get -d DIR', () => {
  it('names the file from the URL and never overwrites: the second identical run makes "name (1).ext"', async () => {
    const db = path.join(home, 'state.db');
    const args = ['get', server.url('/files/report.pdf'), '-d', dir, '--db', db];
    const first = await runFerry(args, { home });
    expect(first.code, first.stderr).toBe(0);
    const second = await runFerry(args, { home });
    expect(second.code, second.stderr).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['report (1).pdf', 'report.pdf']);
    expect(await sha256File(path.join(dir, 'report.pdf'))).toBe(sha256(SMALL));
    expect(await sha256File(path.join(dir, 'report (1).pdf'))).toBe(sha256(SMALL));
  });

  it('downloads into the current folder when neither -o nor -d is given', async () => {
    const r = await runFerry(['get', server.url('/files/report.pdf'), '--db', path.join(home, 'state.db')], { home, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['report.pdf']);
    expect(await sha256File(path.join(dir, 'report.pdf'))).toBe(sha256(SMALL));
  });

  it('reports a 404 with one line naming the URL and the reason, and still completes the good URL', async () => {
    const missing = server.url('/nope/missing.bin');
    const r = await runFerry(['get', missing, server.url('/files/report.pdf'), '-d', dir, '--db', path.join(home, 'state.db')], { home });
    expect(r.code).toBe(1);
    const failures = lines(r.stderr).filter((l) => /fail/i.test(l));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(missing);
    expect(failures[0]).toMatch(/404/);
    expect(fs.readdirSync(dir)).toEqual(['report.pdf']);
    expect(await sha256File(path.join(dir, 'report.pdf'))).toBe(sha256(SMALL));
  });
});

describe('ferry get -i LISTFILE -j 4', () => {
  it("a file that waited in the queue is not reported at a speed averaged over its wait", async () => {
    const slow = randomBytesSeeded(512 * KiB, 301);
    const quick = randomBytesSeeded(64 * KiB, 302);
    server.setFile('/wait/slow.bin', { body: slow, faults: { throttle: 256 * KiB } });
    server.setFile('/wait/quick.bin', { body: quick });
    const r = await runFerry(['get', server.url('/wait/slow.bin'), server.url('/wait/quick.bin'), '-j', '1', '-c', '1', '-d', dir, '--db', path.join(home, 'state.db')], { home });
    expect(r.code, r.stderr).toBe(0);
    const line = lines(r.stderr).find((l) => l.startsWith('ferry: completed:') && l.includes('quick.bin'));
    expect(line).toBeDefined();
    // quick.bin waited about 2 s behind slow.bin; 64 KiB over that wait would read as ~32 KiB/s.
    const speed = /\(64\.0 KiB(?:, ([\d.]+) (B|KiB|MiB|GiB)\/s)?\)/.exec(line!);
    expect(speed, line).not.toBeNull();
    if (speed![1] !== undefined) {
      const bytesPerSecond = Number(speed![1]) * { B: 1, KiB: KiB, MiB: MiB, GiB: 1024 * MiB }[speed![2] as 'B'];
      expect(bytesPerSecond, line).toBeGreaterThan(256 * KiB);
    }
    expect(await sha256File(path.join(dir, 'quick.bin'))).toBe(sha256(quick));
  });

  it('downloads all 20 listed URLs, skipping blank lines and # comments, each byte-identical', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => randomBytesSeeded(16 * KiB + i * 3 * KiB + i, 200 + i));
    const names = bodies.map((_, i) => `item-${String(i).padStart(2, '0')}.dat`);
    names.forEach((n, i) => server.setFile(`/list/${n}`, { body: bodies[i]! }));
    const listFile = path.join(home, 'urls.txt');
    const text = [
      '# twenty files',
      '',
      ...names.flatMap((n, i) => (i % 5 === 0 ? ['   ', `# next: ${n}`, `  ${server.url(`/list/${n}`)}  `] : [server.url(`/list/${n}`)])),
      '',
      '# the end',
    ].join('\n');
    fs.writeFileSync(listFile, `${text}\r\n`);
    const r = await runFerry(['get', '-i', listFile, '-j', '4', '-c', '2', '-d', dir, '--db', path.join(home, 'state.db')], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual([...names].sort());
    for (const [i, n] of names.entries()) expect(await sha256File(path.join(dir, n)), n).toBe(sha256(bodies[i]!));
  });

  it('fails with one line and exit 1 when the list file cannot be read', async () => {
    const r = await runFerry(['get', '-i', path.join(home, 'no-such-list.txt'), '-d', dir, '--db', path.join(home, 'state.db')], { home });
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain('no-such-list.txt');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('ferry get output', () => {
  it('prints plain lines without escape codes when stderr is not a terminal', async () => {
    const out = path.join(dir, 'plain.bin');
    const r = await runFerry(['get', server.url('/big.bin'), '-o', out, '-c', '4', '--db', path.join(home, 'state.db')], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(ESC);
    expect(r.stderr).not.toContain('\r');
    const all = lines(r.stderr);
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all.length).toBeLessThanOrEqual(3);
    expect(all.some((l) => l.includes('completed') && l.includes(out))).toBe(true);
    expect(await sha256File(out)).toBe(sha256(BIG));
  });

  it('prints nothing with -q when all goes well', async () => {
    const out = path.join(dir, 'quiet.pdf');
    const r = await runFerry(['get', server.url('/files/report.pdf'), '-o', out, '-q', '--db', path.join(home, 'state.db')], { home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(await sha256File(out)).toBe(sha256(SMALL));
  });
});
