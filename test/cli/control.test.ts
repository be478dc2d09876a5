// `ferry list`, `pause`, `resume` and `remove` acting on the same database as a `ferry get`, also
// one running in another process: the control request travels through the SQLite row.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';
import { MiB, distinctBytesSent, lines, runFerry, startFerry, until, type FerryProcess, useCliSandbox } from './harness.js';

// Slow enough that a `ferry pause` or `ferry remove` started from another process (a second or more
// to start on a busy machine, plus up to a checkpoint interval to be noticed) lands mid-download:
// 16 MiB at 4 × 256 KiB/s takes 16 s. Resuming is then served fast (FAST) to keep the suite short.
const SLOW = 256 * 1024;
const FAST = 4 * MiB;

let server: FaultServer;
let home: string;
let dir: string;
let db: string;

useCliSandbox('ctl', (s) => {
  ({ server, home, dir } = s);
  db = path.join(home, 'state.db');
});

interface Row {
  id: number;
  status: string;
  fileName: string | null;
  size: number | null;
  downloaded: number;
  error: { code: string; message: string } | null;
}

async function listJson(env?: Record<string, string>): Promise<Row[]> {
  const r = await runFerry(env ? ['list', '--json'] : ['list', '--json', '--db', db], { home, ...(env ? { env } : {}) });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Row[];
}

/** Starts a throttled `ferry get` and waits until the server has sent `fraction` of the file. */
async function startSlowGet(file: string, body: Buffer, name: string, fraction: number): Promise<{ p: FerryProcess; out: string }> {
  server.setFile(file, { body, faults: { throttle: SLOW } });
  const out = path.join(dir, name);
  const p = startFerry(['get', server.url(file), '-o', out, '-c', '4', '--db', db], { home });
  await until(() => distinctBytesSent(server.requests, file, body.length) >= fraction * body.length || p.child.exitCode !== null, 60_000, `${fraction * 100} % sent`);
  expect(p.child.exitCode, p.stderr).toBeNull();
  return { p, out };
}

describe('ferry list', () => {
  it('says there are no downloads in a fresh database, and prints [] as JSON', async () => {
    const table = await runFerry(['list', '--db', db], { home });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.trim()).toBe('No downloads.');
    expect(await listJson()).toEqual([]);
  });

  it('shows ids, status and progress as a table and as JSON', async () => {
    const done = randomBytesSeeded(512 * 1024, 31);
    server.setFile('/ctl/done.bin', { body: done });
    const ok = await runFerry(['get', server.url('/ctl/done.bin'), '-o', path.join(dir, 'done.bin'), '--db', db], { home });
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await runFerry(['get', server.url('/ctl/missing.bin'), '-o', path.join(dir, 'missing.bin'), '--db', db], { home });
    expect(bad.code).toBe(1);

    const table = await runFerry(['list', '--db', db], { home });
    expect(table.code, table.stderr).toBe(0);
    const t = lines(table.stdout);
    expect(t[0]).toMatch(/^ID\s+STATUS\s+PROGRESS\s+SIZE\s+NAME/);
    expect(t[1]).toMatch(/^1\s+completed\s+100%\s+512\.0 KiB\s+done\.bin$/);
    expect(t[2]).toMatch(/^2\s+failed\s+-\s+\?\s+missing\.bin\s+.*404.*HTTP_NOT_FOUND/);
    expect(t).toHaveLength(3);

    const rows = await listJson();
    expect(rows.map((d) => [d.id, d.status, d.fileName, d.size, d.downloaded])).toEqual([
      [1, 'completed', 'done.bin', done.length, done.length],
      [2, 'failed', 'missing.bin', null, 0],
    ]);
    expect(rows[1]!.error?.code).toBe('HTTP_NOT_FOUND');
  });
});

describe('ferry pause / resume while `ferry get` runs in another process', () => {
  it(
    'pause ID stops the running get within seconds (it exits and says why), resume ID completes the file',
    async () => {
      const body = randomBytesSeeded(16 * MiB, 32);
      const { p, out } = await startSlowGet('/ctl/live.bin', body, 'live.bin', 0.05);

      // $FERRY_DB instead of --db: the same database either way.
      const running = await listJson({ FERRY_DB: db });
      expect(running.map((d) => [d.id, d.status, d.size])).toEqual([[1, 'downloading', body.length]]);

      const pausedAt = Date.now();
      const pause = await runFerry(['pause', '1', '--db', db], { home });
      expect(pause.code, pause.stderr).toBe(0);
      // The get process notices the request at its next checkpoint and exits; it must say why.
      const got = await Promise.race([
        p.exited,
        new Promise<null>((r) => setTimeout(() => r(null), 10_000)),
      ]);
      expect(got, 'ferry get was still running 10 s after `ferry pause`').not.toBeNull();
      console.log(`control test: get exited ${Date.now() - pausedAt} ms after \`ferry pause\` started, code ${got!.code}; stderr:\n${got!.stderr}`);
      // Soft, so that the resume below is still checked when these fail.
      expect.soft(got!.code, 'a get whose download was paused did not complete it: not exit 0').not.toBe(0);
      expect.soft(got!.signal).toBeNull();
      expect.soft(lines(got!.stderr).some((l) => /paused/i.test(l)), `get should say the download was paused:\n${got!.stderr}`).toBe(true);

      const paused = await listJson();
      expect(paused.map((d) => d.status)).toEqual(['paused']);
      expect(paused[0]!.downloaded).toBeGreaterThan(0);
      expect(paused[0]!.downloaded).toBeLessThan(body.length);
      expect(fs.existsSync(out)).toBe(false);

      server.setFaults('/ctl/live.bin', { throttle: FAST });
      const resume = await runFerry(['resume', '1', '--db', db], { home, timeoutMs: 60_000 });
      expect(resume.code, resume.stderr).toBe(0);
      expect(await sha256File(out)).toBe(sha256(body));
      expect(fs.readdirSync(dir)).toEqual(['live.bin']);
      expect((await listJson()).map((d) => d.status)).toEqual(['completed']);
      // Pausing checkpoints cleanly: at most what was on the wire is fetched again.
      expect(server.bytesServedTwice('/ctl/live.bin')).toBeLessThanOrEqual(4 * MiB);
    },
    90_000,
  );

  it(
    'remove ID --delete-file on a download another get is running: the row and the .part go, and that get does not exit 0',
    async () => {
      const body = randomBytesSeeded(16 * MiB, 33);
      const { p, out } = await startSlowGet('/ctl/gone.bin', body, 'gone.bin', 0.05);
      const rm = await runFerry(['remove', '1', '--delete-file', '--db', db], { home });
      expect(rm.code, rm.stderr).toBe(0);
      const got = await Promise.race([p.exited, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
      expect(got, 'ferry get was still running 10 s after `ferry remove`').not.toBeNull();
      expect(await listJson()).toEqual([]);
      expect(fs.readdirSync(dir)).toEqual([]);
      console.log(`control test: get exited with code ${got!.code} after its download was removed; stderr:\n${got!.stderr}`);
      // The file was not downloaded, so "exit 0 only when every file is complete" says non-zero.
      expect(fs.existsSync(out)).toBe(false);
      expect(got!.code, got!.stderr).not.toBe(0);
      expect(lines(got!.stderr).some((l) => /removed/i.test(l)), `get should say the download was removed:\n${got!.stderr}`).toBe(true);
    },
    60_000,
  );
});

describe('ferry remove', () => {
  it('remove ID keeps a completed file; remove ID --delete-file deletes it; both drop the row', async () => {
    const body = randomBytesSeeded(256 * 1024, 34);
    server.setFile('/ctl/keep.bin', { body });
    for (const name of ['keep.bin', 'delete.bin']) {
      const r = await runFerry(['get', server.url('/ctl/keep.bin'), '-o', path.join(dir, name), '--db', db], { home });
      expect(r.code, r.stderr).toBe(0);
    }
    const keep = await runFerry(['remove', '1', '--db', db], { home });
    expect(keep.code, keep.stderr).toBe(0);
    const del = await runFerry(['remove', '2', '--delete-file', '--db', db], { home });
    expect(del.code, del.stderr).toBe(0);
    expect(await listJson()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual(['keep.bin']);
    expect(await sha256File(path.join(dir, 'keep.bin'))).toBe(sha256(body));
  });

  it(
    'remove ID --delete-file on a paused partial download deletes the row and the .part',
    async () => {
      const body = randomBytesSeeded(8 * MiB, 35);
      const { p, out } = await startSlowGet('/ctl/partial.bin', body, 'partial.bin', 0.1);
      p.child.kill('SIGINT');
      expect((await p.exited).code).toBe(130);
      expect(fs.existsSync(`${out}.part`)).toBe(true);
      expect((await listJson()).map((d) => d.status)).toEqual(['paused']);
      const rm = await runFerry(['remove', '1', '--delete-file', '--db', db], { home });
      expect(rm.code, rm.stderr).toBe(0);
      expect(await listJson()).toEqual([]);
      expect(fs.readdirSync(dir)).toEqual([]);
    },
    60_000,
  );
});

describe('unknown download ids', () => {
  it.each([['pause'], ['resume'], ['remove']])('%s 999 exits 1 with a clear message', async (cmd) => {
    const r = await runFerry([cmd, '999', '--db', db], { home });
    expect(r.code).toBe(1);
    const errs = lines(r.stderr);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/no download with id 999/i);
  });
});
