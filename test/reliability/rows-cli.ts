// A handful of matrix rows through the built `ferry get`, as a script would run it: the exit code
// must agree with the file (0 only for a byte-identical file, 1 with nothing presented as complete).
import path from 'node:path';
import { expect } from 'vitest';
import type { DownloadSnapshot } from '../../main/engine/model.js';
import { createStore } from '../../main/store/store.js';
import { runFerry } from '../cli/harness.js';
import { FAST_SETTINGS } from '../helpers/engine-harness.js';
import { makeTempDir, randomBytesSeeded } from '../helpers/files.js';
import { serveFile, statusLine } from '../helpers/raw-server.js';
import { KiB, MiB, error, sha, type Ctx, type Row, type RowRun } from './matrix-kit.js';
import { HTML_PAGE_CODE } from './rows-server.js';

const MED = MiB + 13;

/** Runs `ferry get URL -d <folder>` with the harness's fast settings stored in a fresh database. */
async function viaCli(ctx: Ctx, url: string, count: () => { requests: number; bytesTwice: number | null }): Promise<RowRun & { stderr: string }> {
  const home = await makeTempDir('ferry-matrix-cli-');
  const db = path.join(home, 'ferry.db');
  const seed = createStore(db);
  seed.settings.save({ ...FAST_SETTINGS });
  seed.close();
  const started = Date.now();
  const r = await runFerry(['get', url, '-d', ctx.h.dir, '-c', '4', '--db', db], { home, timeoutMs: 45_000 });
  const elapsedMs = Date.now() - started;
  const store = createStore(db);
  const rows = store.downloads.list();
  store.close();
  expect(rows, r.stderr).toHaveLength(1);
  const snapshot: DownloadSnapshot = { ...rows[0]!, downloaded: 0, speed: 0, eta: null, activeConnections: 0, connectionTrial: null, segments: [] };
  return { snapshot, versions: { source: Buffer.alloc(0) }, ...count(), elapsedMs, exitCode: r.code, stderr: r.stderr };
}

const GROUP = 'Through the ferry CLI';

export const CLI_ROWS: Row[] = [
  {
    group: GROUP,
    scenario: '`ferry get`: bodies reset twice and a 503 with Retry-After',
    expect: [sha()],
    notes: 'Exit 0 only with the byte-identical file.',
    run: async (ctx) => {
      const body = randomBytesSeeded(MED, 70);
      const p = `${ctx.base}/f.bin`;
      ctx.fault.setFile(p, { body, faults: { dropAfter: { bytes: 200 * KiB, times: 2, mode: 'rst' }, status: { code: 503, times: 1, retryAfter: '1' } } });
      const run = await viaCli(ctx, ctx.fault.url(p), () => ({
        requests: ctx.fault.requests.filter((r) => r.path === p).length,
        bytesTwice: ctx.fault.bytesServedTwice(p),
      }));
      return { ...run, versions: { source: body } };
    },
    check: (run) => void expect(run.exitCode).toBe(0),
  },
  {
    group: GROUP,
    scenario: '`ferry get`: the file changes on the server mid-download',
    expect: [sha('changed')],
    notes: 'Started over with the new version, never spliced; exit 0.',
    run: async (ctx) => {
      const v1 = randomBytesSeeded(MED, 71);
      const v2 = randomBytesSeeded(MED, 72);
      const p = `${ctx.base}/f.bin`;
      ctx.fault.setFile(p, { body: v1, faults: { changeAfterRequests: { requests: 2, body: v2 }, throttle: 2 * MiB } });
      const run = await viaCli(ctx, ctx.fault.url(p), () => ({
        requests: ctx.fault.requests.filter((r) => r.path === p).length,
        bytesTwice: ctx.fault.bytesServedTwice(p),
      }));
      return { ...run, versions: { source: v1, changed: v2 } };
    },
    check: (run) => void expect(run.exitCode).toBe(0),
  },
  {
    group: GROUP,
    scenario: '`ferry get`: two conflicting Content-Length headers',
    expect: [error('NETWORK_ERROR')],
    notes: 'The issue\'s "short file with exit 0": here exit 1 and no file.',
    run: async (ctx) => {
      const body = randomBytesSeeded(256 * KiB, 73);
      const p = `${ctx.base}/f.bin`;
      ctx.raw.route(p, (req) => {
        const reply = serveFile({ body }, req);
        return { ...reply, head: [...reply.head, 'Content-Length: 1000'] };
      });
      const run = await viaCli(ctx, ctx.raw.url(p), () => ({ requests: ctx.raw.requestsFor(p).length, bytesTwice: ctx.raw.bytesServedTwice(p) }));
      return { ...run, versions: { source: body } };
    },
    check: (run) => void expect(run.exitCode).toBe(1),
  },
  {
    group: GROUP,
    scenario: '`ferry get`: the session expires, an HTML page answers after the probe',
    expect: [error(HTML_PAGE_CODE)],
    notes: 'The issue\'s "HTML page saved as the file and called complete": must exit 1 and leave no file.',
    run: async (ctx) => {
      const body = randomBytesSeeded(MED, 74);
      const page = Buffer.from('<!doctype html><title>Sign in</title><p>Your session has expired.</p>\n');
      const p = `${ctx.base}/f.bin`;
      ctx.raw.route(p, (req) =>
        req.n === 1
          ? serveFile({ body }, req)
          : { head: [statusLine(200), 'Content-Type: text/html; charset=utf-8', `Content-Length: ${page.length}`], body: page },
      );
      const run = await viaCli(ctx, ctx.raw.url(p), () => ({ requests: ctx.raw.requestsFor(p).length, bytesTwice: ctx.raw.bytesServedTwice(p) }));
      return { ...run, versions: { source: body } };
    },
    check: (run) => void expect(run.exitCode).toBe(1),
  },
];
