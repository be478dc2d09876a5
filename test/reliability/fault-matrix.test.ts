// The fault matrix: loopback servers misbehave in every way test/reliability/rows-*.ts lists, each
// row runs through the real engine, and each outcome is asserted: the sha-256 of the file (the
// source's, or the new version's when the file changed), or the exact error code with nothing
// presented as complete. `FERRY_WRITE_RELIABILITY=1` also writes docs/reliability.md from the run.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../cli/harness.js';
import { createHarness, type Harness } from '../helpers/engine-harness.js';
import { startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { removeTempDirs, sha256 } from '../helpers/files.js';
import { startRawServer, type RawServer } from '../helpers/raw-server.js';
import { startRedirectServer, type RedirectServer } from '../helpers/redirect-server.js';
import { TEST_TLS } from '../helpers/tls-fixture.js';
import type { Actual, Ctx, Outcome, Row, RowRun } from './matrix-kit.js';
import { writeReliabilityDocIfAsked, type MatrixRecord } from './matrix-report.js';
import { CLI_ROWS } from './rows-cli.js';
import { SERVER_ROWS } from './rows-server.js';
import { TLS_ROWS } from './rows-tls.js';
import { TRANSFER_ROWS } from './rows-transfer.js';

const ROWS: Row[] = [...TRANSFER_ROWS, ...SERVER_ROWS, ...TLS_ROWS, ...CLI_ROWS];
const records: MatrixRecord[] = [];

let fault: FaultServer;
let tls: FaultServer;
let raw: RawServer;
let redirects: RedirectServer;

beforeAll(async () => {
  [fault, tls, raw, redirects] = await Promise.all([
    startFaultServer({ keepAliveTimeoutMs: 2000 }),
    startFaultServer({ keepAliveTimeoutMs: 2000, tls: TEST_TLS }),
    startRawServer(),
    startRedirectServer(),
  ]);
  // The CLI rows run the built `ferry`; builds it first when dist is missing or older than main/.
  await ensureBuilt();
}, 180_000);
afterAll(async () => {
  await Promise.all([fault?.close(), tls?.close(), raw?.close(), redirects?.close()]);
  await removeTempDirs();
  if (writeReliabilityDocIfAsked(records)) console.log(`docs/reliability.md written: ${records.length} rows`);
});

async function observe(run: RowRun, h: Harness): Promise<Actual> {
  const s = run.snapshot;
  const finalFiles = h.files().filter((f) => !f.endsWith('.part'));
  let bytes: Buffer | null = null;
  if (s.status === 'completed' && s.fileName && fs.existsSync(h.pathOf(s))) bytes = fs.readFileSync(h.pathOf(s));
  let version: Actual['version'] = null;
  if (bytes) {
    const digest = sha256(bytes);
    if (digest === sha256(run.versions.source)) version = 'source';
    else if (run.versions.changed && digest === sha256(run.versions.changed)) version = 'changed';
  }
  return { status: s.status, errorCode: s.error?.code ?? null, version, bytes, finalFiles };
}

function describeOutcome(o: Outcome): string {
  if (o.kind === 'sha') return o.version === 'source' ? 'sha-256 = source' : 'sha-256 = new version';
  if (o.kind === 'error') return `failed: ${o.code}, no final file`;
  return o.label;
}

function describeActual(a: Actual, run: RowRun): string {
  if (a.status === 'completed') {
    if (a.version === 'source') return 'sha-256 = source';
    if (a.version === 'changed') return 'sha-256 = new version';
    const size = a.bytes?.length ?? 0;
    return `completed with WRONG bytes (${size} bytes, source has ${run.versions.source.length})`;
  }
  const leftover = a.finalFiles.length > 0 ? `, but a final file is there (${a.finalFiles.join(', ')})` : '';
  return `failed: ${a.errorCode}${leftover}`;
}

function matches(o: Outcome, a: Actual, run: RowRun): boolean {
  if (o.kind === 'sha') return a.status === 'completed' && a.version === o.version && a.finalFiles.length === 1;
  if (o.kind === 'error') return a.status === 'failed' && a.errorCode === o.code && a.finalFiles.length === 0;
  return o.matches(a, run);
}

/** The assertion the user needs, spelled out, so a failure says which property broke. */
function assertIdeal(o: Outcome, a: Actual, run: RowRun): void {
  const got = `got: ${describeActual(a, run)}`;
  if (o.kind === 'sha') {
    expect(run.snapshot.error, `error (${got})`).toBeNull();
    expect(a.status, `status (${got})`).toBe('completed');
    expect(a.version, `which version the file on disk equals (${got})`).toBe(o.version);
    expect(a.finalFiles, `files in the folder (${got})`).toEqual([run.snapshot.fileName]);
  } else if (o.kind === 'error') {
    expect(a.status, `status (${got})`).toBe('failed');
    expect(a.errorCode, `error code (${got})`).toBe(o.code);
    expect(a.finalFiles, `nothing presented as complete (${got})`).toEqual([]);
  } else {
    expect(o.matches(a, run), `${o.label} (${got})`).toBe(true);
  }
}

describe('fault matrix', () => {
  it('has at least 30 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
  });

  ROWS.forEach((row, index) => {
    it(`${row.group}: ${row.scenario}`, async () => {
      const record: MatrixRecord = {
        group: row.group,
        scenario: row.scenario,
        expected: (row.expect.some((o) => o.kind !== 'limit') ? row.expect.filter((o) => o.kind !== 'limit') : row.expect)
          .map(describeOutcome)
          .join(' or '),
        actual: 'did not finish',
        verdict: 'gap',
        requests: null,
        bytesTwice: null,
        elapsedMs: null,
        notes: row.notes,
      };
      records.push(record);
      // Trusts the https rows' certificates (and no others): every other row is plain http.
      const h = await createHarness(row.settings, { ca: TEST_TLS.trusted });
      const ctx: Ctx = { h, fault, tls, raw, redirects, base: `/m${String(index).padStart(2, '0')}` };
      try {
        const run = await row.run(ctx);
        const actual = await observe(run, h);
        Object.assign(record, {
          actual: describeActual(actual, run) + (run.exitCode === undefined ? '' : `, exit ${run.exitCode}`),
          requests: run.requests,
          bytesTwice: run.bytesTwice,
          elapsedMs: run.elapsedMs,
        });
        const hit = row.expect.find((o) => matches(o, actual, run));
        if (hit?.kind === 'limit') record.actual = hit.label;
        // Whatever the outcome, a completed download is never a file the server did not send
        // whole, unless the row documents exactly that as a limit of HTTP.
        if (!hit) {
          assertIdeal(row.expect[0]!, actual, run);
          throw new Error(`the outcome (${record.actual}) is none of the acceptable ones`);
        }
        await row.check?.(run, ctx, actual);
        record.verdict = hit.kind === 'limit' ? 'limit' : 'pass';
      } catch (error) {
        if (record.requests === null) record.actual = `did not finish: ${(error as Error).message.split('\n')[0]!.slice(0, 120)}`;
        throw error;
      } finally {
        await h.close();
      }
    });
  });
});
