// SIGKILL `ferry get` at several moments of a download, run the same command again, and check
// that the file ends byte-identical and that the bytes fetched twice, counted at the server, stay
// under a bound derived from the checkpoint rule: a kill can lose at most what arrived since the
// last checkpoint (interval × total rate) plus what sat in the write-coalescing buffers.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';
import {
  MiB,
  distinctBytesSent,
  fmtMiB,
  readDb,
  refetchedPerRun,
  runFerry,
  settle,
  startFerry,
  until,
  useCliSandbox,
  writeDb,
} from './harness.js';

// The engine's checkpoint interval (DEFAULT_SETTINGS.checkpointIntervalMs) and write-coalescing
// buffer (body-pump FLUSH_BYTES), as the issue states them; 1.5 × the interval leaves room for a
// checkpoint that runs late on a busy machine.
const CHECKPOINT_S = 1;
const SLACK = 1.5;
const COALESCE = 1 * MiB;

const SIZE = 32 * MiB;
const RATE = 1 * MiB; // bytes per second, per connection (the fault server's throttle)
const CONNECTIONS = 4;
/** Bytes one SIGKILL may cost: rate × connections × 1.5 s + connections × 1 MiB (10 MiB here). */
const PER_KILL = RATE * CONNECTIONS * CHECKPOINT_S * SLACK + CONNECTIONS * COALESCE;

const BODY = randomBytesSeeded(SIZE, 7);
const FILE = '/crash/big.bin';

let server: FaultServer;
let home: string;
let dir: string;

useCliSandbox('crash', (s) => {
  ({ server, home, dir } = s);
});

/** Bytes the database says are on disk, over all segments; 0 before the first checkpoint. */
function claimedBytes(db: string): number {
  if (!fs.existsSync(db)) return 0;
  try {
    return readDb(db, (d) => {
      const hasTable = d.prepare("SELECT 1 FROM sqlite_master WHERE name = 'segments'").get();
      return hasTable ? (d.prepare('SELECT COALESCE(SUM(written), 0) AS n FROM segments').get() as { n: number }).n : 0;
    });
  } catch {
    // The child is still creating the database: nothing claimed yet.
    return 0;
  }
}

/**
 * Checks the checkpoint rule directly after a kill: every byte the database claims is on disk in
 * the .part file and equals the source. Returns the number of claimed bytes checked.
 */
function checkClaims(db: string, part: string, source: Buffer): number {
  const segments = readDb(db, (d) => d.prepare('SELECT start, end, written FROM segments ORDER BY start').all() as Array<{ start: number; end: number | null; written: number }>);
  const claimed = segments.reduce((n, s) => n + s.written, 0);
  if (claimed === 0) return 0;
  const data = fs.readFileSync(part);
  for (const s of segments) {
    if (s.written === 0) continue;
    const onDisk = data.subarray(s.start, s.start + s.written);
    const want = source.subarray(s.start, s.start + s.written);
    expect(onDisk.length, `segment at ${s.start}: the .part is shorter than the database claims`).toBe(want.length);
    expect(onDisk.equals(want), `segment at ${s.start}: claimed bytes differ from the source`).toBe(true);
  }
  return claimed;
}

/** Distinct bytes of `path` the server has sent so far (what a kill can at most lose). */
function sentSoFar(p: string, size: number): number {
  return distinctBytesSent(server.requests, p, size);
}

describe('ferry get survives SIGKILL', () => {
  it(
    'killed at ~10 %, ~40 % and ~75 %, the same command finishes byte-identical; each kill re-fetches at most its bound',
    async () => {
      server.setFile(FILE, { body: BODY, faults: { throttle: RATE } });
      const out = path.join(dir, 'big.bin');
      const db = path.join(home, 'state.db');
      const args = ['get', server.url(FILE), '-o', out, '-c', String(CONNECTIONS), '--db', db];
      const runStarts: number[] = [];
      const killedAt: number[] = [];
      const checkpointedAt: number[] = [];

      for (const fraction of [0.1, 0.4, 0.75]) {
        runStarts.push(server.requests.length);
        const p = startFerry(args, { home });
        await until(
          () => sentSoFar(FILE, SIZE) >= fraction * SIZE || p.child.exitCode !== null,
          60_000,
          `the server to have sent ${fraction * 100} % of the file`,
        );
        expect(p.child.exitCode, `ferry exited before the kill:\n${p.stderr}`).toBeNull();
        p.child.kill('SIGKILL');
        const r = await p.exited;
        expect(r.signal).toBe('SIGKILL');
        // Let the server notice the closed sockets before counting what it sent.
        await settle(() => server.totalBodyBytes(FILE));
        killedAt.push(sentSoFar(FILE, SIZE));
        checkpointedAt.push(checkClaims(db, `${out}.part`, BODY));
        expect(fs.existsSync(out), 'the final name appears only when the file is complete').toBe(false);
      }

      runStarts.push(server.requests.length);
      const last = await runFerry(args, { home, timeoutMs: 60_000 });
      expect(last.code, last.stderr).toBe(0);
      expect(await sha256File(out)).toBe(sha256(BODY));
      expect(fs.existsSync(`${out}.part`)).toBe(false);

      const perKill = refetchedPerRun(server.requests, FILE, SIZE, runStarts);
      const twice = server.bytesServedTwice(FILE);
      console.log(
        [
          `crash test: ${fmtMiB(SIZE)} file, throttle ${fmtMiB(RATE)}/s per connection, ${CONNECTIONS} connections`,
          `  bound per kill = rate × connections × ${SLACK} s + connections × 1 MiB = ${fmtMiB(PER_KILL)}`,
          ...perKill.map(
            (n, i) =>
              `  kill ${i + 1}: server had sent ${fmtMiB(killedAt[i]!)}, database claimed ${fmtMiB(checkpointedAt[i]!)}, ` +
              `re-fetched ${fmtMiB(n)}`,
          ),
          `  bytesServedTwice total: ${fmtMiB(twice)} (bound ${fmtMiB(perKill.length * PER_KILL)}); ` +
            `all body bytes sent: ${fmtMiB(server.totalBodyBytes(FILE))}`,
        ].join('\n'),
      );
      expect(perKill).toHaveLength(3);
      for (const [i, n] of perKill.entries()) expect(n, `kill ${i + 1} re-fetched ${fmtMiB(n)}`).toBeLessThanOrEqual(PER_KILL);
      expect(twice).toBeLessThanOrEqual(3 * PER_KILL);
      // By the kills at ~40 % and ~75 % real progress had been checkpointed, so those runs resumed
      // rather than started over. (At ~10 % every connection may still hold its bytes in the
      // 1 MiB coalescing buffer, so nothing is on disk yet: that kill may cost all it fetched.)
      expect(checkpointedAt[1]!, 'checkpoint before kill 2').toBeGreaterThan(0);
      expect(checkpointedAt[2]!, 'checkpoint before kill 3').toBeGreaterThan(checkpointedAt[1]!);
    },
    120_000,
  );

  it(
    'killed right at the start, before the first checkpoint, the same command finishes byte-identical',
    async () => {
      const body = randomBytesSeeded(4 * MiB, 8);
      server.setFile('/crash/start.bin', { body, faults: { throttle: RATE } });
      const out = path.join(dir, 'start.bin');
      const db = path.join(home, 'state.db');
      const args = ['get', server.url('/crash/start.bin'), '-o', out, '-c', String(CONNECTIONS), '--db', db];
      const p = startFerry(args, { home });
      // The first body bytes are on their way: the probe answered, nothing checkpointed yet.
      await until(() => server.totalBodyBytes('/crash/start.bin') > 0 || p.child.exitCode !== null, 30_000, 'the first body bytes');
      p.child.kill('SIGKILL');
      expect((await p.exited).signal).toBe('SIGKILL');
      await settle(() => server.totalBodyBytes('/crash/start.bin'));
      const runStart = server.requests.length;

      const r = await runFerry(args, { home, timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(await sha256File(out)).toBe(sha256(body));
      expect(fs.readdirSync(dir)).toEqual(['start.bin']);
      const [again] = refetchedPerRun(server.requests, '/crash/start.bin', body.length, [0, runStart]);
      console.log(`crash test, kill at start: re-fetched ${fmtMiB(again!)} (bound ${fmtMiB(PER_KILL)})`);
      expect(again!).toBeLessThanOrEqual(PER_KILL);
    },
    60_000,
  );

  it(
    'with -d DIR, killed mid-way, the same command resumes into the same name (no "name (1).ext")',
    async () => {
      const body = randomBytesSeeded(6 * MiB, 11);
      const file = '/crash/named.iso';
      server.setFile(file, { body, faults: { throttle: RATE } });
      const db = path.join(home, 'state.db');
      const args = ['get', server.url(file), '-d', dir, '-c', '2', '--db', db];
      const p = startFerry(args, { home });
      await until(() => distinctBytesSent(server.requests, file, body.length) >= 0.5 * body.length || p.child.exitCode !== null, 30_000, '50 % sent');
      p.child.kill('SIGKILL');
      expect((await p.exited).signal).toBe('SIGKILL');
      expect(fs.readdirSync(dir)).toEqual(['named.iso.part']);
      await settle(() => server.totalBodyBytes(file));
      const runStart = server.requests.length;

      const r = await runFerry(args, { home, timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(fs.readdirSync(dir)).toEqual(['named.iso']);
      expect(await sha256File(path.join(dir, 'named.iso'))).toBe(sha256(body));
      const [again] = refetchedPerRun(server.requests, file, body.length, [0, runStart]);
      expect(again!).toBeLessThanOrEqual(RATE * 2 * CHECKPOINT_S * SLACK + 2 * COALESCE);
    },
    60_000,
  );

  it(
    'killed, then the file changes on the server: the same command starts over and lands the new version, saying why',
    async () => {
      const v1 = randomBytesSeeded(8 * MiB, 12);
      const v2 = randomBytesSeeded(8 * MiB, 13);
      const file = '/crash/changing.bin';
      server.setFile(file, { body: v1, faults: { throttle: RATE } });
      const out = path.join(dir, 'changing.bin');
      const db = path.join(home, 'state.db');
      const args = ['get', server.url(file), '-o', out, '-c', '2', '--db', db];
      const p = startFerry(args, { home });
      // Once the database claims bytes of version 1, resuming could splice the two versions.
      await until(() => claimedBytes(db) > 0 || p.child.exitCode !== null, 30_000, 'a checkpoint with bytes', 50);
      expect(p.child.exitCode, p.stderr).toBeNull();
      p.child.kill('SIGKILL');
      expect((await p.exited).signal).toBe('SIGKILL');
      expect(claimedBytes(db)).toBeLessThan(v1.length);

      server.setFile(file, { body: v2, faults: { throttle: 4 * MiB } });
      const r = await runFerry(args, { home, timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      // Never a splice of the two versions.
      expect(await sha256File(out)).toBe(sha256(v2));
      expect(fs.readdirSync(dir)).toEqual(['changing.bin']);
      expect(r.stderr).toMatch(/started over/i);
      const row = readDb(db, (d) => d.prepare('SELECT status, restart_reason FROM downloads').get() as { status: string; restart_reason: string | null });
      expect(row.status).toBe('completed');
      expect(row.restart_reason).toBeTruthy();
    },
    60_000,
  );

  it(
    'killed as soon as the finished file appears, the same command exits 0 without fetching a byte',
    async () => {
      const body = randomBytesSeeded(4 * MiB, 9);
      server.setFile('/crash/end.bin', { body, faults: { throttle: 2 * MiB } });
      const out = path.join(dir, 'end.bin');
      const db = path.join(home, 'state.db');
      const args = ['get', server.url('/crash/end.bin'), '-o', out, '-c', String(CONNECTIONS), '--db', db];
      const p = startFerry(args, { home });
      await until(() => fs.existsSync(out) || p.child.exitCode !== null, 30_000, 'the final file', 1);
      p.child.kill('SIGKILL');
      const killed = await p.exited;
      const sent = server.totalBodyBytes('/crash/end.bin');

      const r = await runFerry(args, { home });
      console.log(`crash test, kill after completion: first run ended by ${killed.signal ?? `exit ${killed.code}`}`);
      expect(r.code, r.stderr).toBe(0);
      expect(await sha256File(out)).toBe(sha256(body));
      expect(fs.readdirSync(dir)).toEqual(['end.bin']);
      expect(server.totalBodyBytes('/crash/end.bin')).toBe(sent);
    },
    60_000,
  );
});

// A SIGKILL can land between any two steps of finishing a download. The windows are microseconds
// wide, too narrow to hit with a signal on purpose, so these tests recreate on disk and in the
// database exactly the state such a kill leaves, then run the same command again.
describe('ferry get after a SIGKILL while finishing (recreated states)', () => {
  const body = randomBytesSeeded(2 * MiB, 10);

  async function completedDownload(): Promise<{ out: string; db: string; args: string[] }> {
    server.setFile('/crash/finish.bin', { body });
    const out = path.join(dir, 'finish.bin');
    const db = path.join(home, 'state.db');
    const args = ['get', server.url('/crash/finish.bin'), '-o', out, '-c', '2', '--db', db];
    const r = await runFerry(args, { home });
    expect(r.code, r.stderr).toBe(0);
    return { out, db, args };
  }

  /** The row as a process killed before recording "completed" leaves it: still downloading, owner dead. */
  async function markInterrupted(db: string): Promise<void> {
    const dead = startFerry(['--version'], { home });
    await dead.exited;
    writeDb(db, (d) => {
      d.prepare("UPDATE downloads SET status = 'downloading', completed_at = NULL, owner_pid = ?").run(dead.child.pid);
    });
  }

  it('killed after the rename, before the database said "completed": exits 0, nothing fetched', async () => {
    const { out, db, args } = await completedDownload();
    await markInterrupted(db);
    const sent = server.totalBodyBytes('/crash/finish.bin');
    const r = await runFerry(args, { home });
    expect(r.code, r.stderr).toBe(0);
    expect(await sha256File(out)).toBe(sha256(body));
    expect(fs.readdirSync(dir)).toEqual(['finish.bin']);
    expect(server.totalBodyBytes('/crash/finish.bin')).toBe(sent);
  });

  it('killed between link() and unlink() of the .part (both names on one file): exits 0, one file, nothing fetched', async () => {
    const { out, db, args } = await completedDownload();
    await markInterrupted(db);
    // moveIntoPlace links FILE.part to FILE and then unlinks FILE.part: a kill in between leaves both.
    fs.linkSync(out, `${out}.part`);
    const sent = server.totalBodyBytes('/crash/finish.bin');
    const r = await runFerry(args, { home });
    expect(r.code, r.stderr).toBe(0);
    expect(await sha256File(out)).toBe(sha256(body));
    expect(fs.readdirSync(dir)).toEqual(['finish.bin']);
    expect(server.totalBodyBytes('/crash/finish.bin')).toBe(sent);
  });
});
