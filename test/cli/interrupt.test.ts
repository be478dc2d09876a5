// Ctrl-C (SIGINT) during `ferry get`: it checkpoints, says it paused, exits 130; `ferry list`
// shows the download paused; the same command resumes it to a byte-identical file, fetching
// again at most what was still in flight (1 MiB per connection), since a clean pause loses nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';
import { MiB, distinctBytesSent, fmtMiB, lines, refetchedPerRun, runFerry, settle, startFerry, until, useCliSandbox } from './harness.js';

const SIZE = 16 * MiB;
const RATE = 2 * MiB;
const CONNECTIONS = 4;
/** A clean pause flushes every buffer before its checkpoint; only bytes still on the wire are lost. */
const PER_PAUSE = CONNECTIONS * 1 * MiB;

let server: FaultServer;
let home: string;
let dir: string;

useCliSandbox('int', (s) => {
  ({ server, home, dir } = s);
});

describe('ferry get interrupted', () => {
  it(
    'SIGINT pauses (exit 130, a line saying so), `list` shows it paused, and the same command completes it',
    async () => {
      const body = randomBytesSeeded(SIZE, 21);
      const file = '/int/sigint.bin';
      server.setFile(file, { body, faults: { throttle: RATE } });
      const out = path.join(dir, 'sigint.bin');
      const db = path.join(home, 'state.db');
      const args = ['get', server.url(file), '-o', out, '-c', String(CONNECTIONS), '--db', db];

      const p = startFerry(args, { home });
      await until(() => distinctBytesSent(server.requests, file, SIZE) >= 0.4 * SIZE || p.child.exitCode !== null, 60_000, '40 % sent');
      expect(p.child.exitCode, p.stderr).toBeNull();
      p.child.kill('SIGINT');
      const r = await p.exited;
      expect(r.code, r.stderr).toBe(130);
      expect(r.signal).toBeNull();
      const said = lines(r.stderr).filter((l) => /paus/i.test(l));
      expect(said.length, r.stderr).toBeGreaterThanOrEqual(1);
      expect(r.stderr).not.toMatch(/failed/i);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.existsSync(`${out}.part`)).toBe(true);
      await settle(() => server.totalBodyBytes(file));

      const list = await runFerry(['list', '--db', db], { home });
      expect(list.code, list.stderr).toBe(0);
      const row = lines(list.stdout).find((l) => l.includes('sigint.bin'));
      expect(row, list.stdout).toMatch(/^1\s+paused\s+(\d+)%/);
      const pct = Number(/paused\s+(\d+)%/.exec(row!)![1]);
      expect(pct).toBeGreaterThanOrEqual(30);
      expect(pct).toBeLessThan(100);

      const resumeAt = server.requests.length;
      const again = await runFerry(args, { home, timeoutMs: 60_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(await sha256File(out)).toBe(sha256(body));
      expect(fs.readdirSync(dir)).toEqual(['sigint.bin']);

      const [refetched] = refetchedPerRun(server.requests, file, SIZE, [0, resumeAt]);
      console.log(`interrupt test: SIGINT at ${pct} %, re-fetched ${fmtMiB(refetched!)} (bound ${fmtMiB(PER_PAUSE)}), bytesServedTwice ${fmtMiB(server.bytesServedTwice(file))}`);
      expect(refetched!).toBeLessThanOrEqual(PER_PAUSE);
      expect(server.bytesServedTwice(file)).toBeLessThanOrEqual(PER_PAUSE);
    },
    90_000,
  );

  it(
    'SIGTERM also checkpoints and pauses, and the same command completes the file',
    async () => {
      const body = randomBytesSeeded(8 * MiB, 22);
      const file = '/int/sigterm.bin';
      server.setFile(file, { body, faults: { throttle: RATE } });
      const out = path.join(dir, 'sigterm.bin');
      const db = path.join(home, 'state.db');
      const args = ['get', server.url(file), '-o', out, '-c', String(CONNECTIONS), '--db', db];

      const p = startFerry(args, { home });
      await until(() => distinctBytesSent(server.requests, file, body.length) >= 0.3 * body.length || p.child.exitCode !== null, 60_000, '30 % sent');
      p.child.kill('SIGTERM');
      const r = await p.exited;
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.stderr).toMatch(/paus/i);
      const listed = await runFerry(['list', '--json', '--db', db], { home });
      const rows = JSON.parse(listed.stdout) as Array<{ status: string; downloaded: number }>;
      expect(rows.map((d) => d.status)).toEqual(['paused']);
      expect(rows[0]!.downloaded).toBeGreaterThan(0);
      await settle(() => server.totalBodyBytes(file));

      const resumeAt = server.requests.length;
      const again = await runFerry(args, { home, timeoutMs: 60_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(await sha256File(out)).toBe(sha256(body));
      const [refetched] = refetchedPerRun(server.requests, file, body.length, [0, resumeAt]);
      expect(refetched!).toBeLessThanOrEqual(PER_PAUSE);
    },
    90_000,
  );
});
