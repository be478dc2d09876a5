// Runs the built `ferry` command as a real child process, the way a user or a script does, and
// reads what the fault server really sent. The CLI tests never import the CLI's modules: they see
// only its exit code, its output, the files it leaves and the SQLite database at --db.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { IntervalSet } from '../helpers/byte-intervals.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startFaultServer, type FaultServer, type FaultServerOptions, type RequestRecord } from '../helpers/fault-server.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { parseRange } from '../helpers/http-range.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI; FERRY_TEST_BIN points the suite at another build (e.g. one with a fix to try). */
export const BIN = process.env.FERRY_TEST_BIN ? path.resolve(process.env.FERRY_TEST_BIN) : path.join(REPO, 'dist', 'cli', 'ferry.cjs');
export const MiB = 1024 * 1024;
export const KiB = 1024;

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  try {
    return fs.statSync(BIN).mtimeMs >= newestSourceMtime(path.join(REPO, 'main'));
  } catch {
    return false;
  }
}

/**
 * `npm test` builds before vitest runs; a bare `npx vitest run test/cli` may find dist missing or
 * older than the sources, so build then. Two test files may ask at once (vitest runs files in
 * parallel workers): a lock directory makes the second wait for the first instead of racing tsc.
 */
export async function ensureBuilt(): Promise<void> {
  if (process.env.FERRY_TEST_BIN) {
    if (!fs.existsSync(BIN)) throw new Error(`FERRY_TEST_BIN=${BIN} does not exist`);
    return;
  }
  if (isFresh()) return;
  const lock = path.join(os.tmpdir(), `ferry-cli-build-${Buffer.from(REPO).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Another worker is building; a lock older than two minutes belongs to a dead one.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another worker to build the CLI');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (isFresh()) return;
    // The shipped CLI is the esbuild bundle (see scripts/build-cli.mjs).
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build-cli.mjs')], { cwd: REPO, encoding: 'utf8' });
    if (!fs.existsSync(BIN)) throw new Error(`building the CLI failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface FerryProcess {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the process has exited and its output is closed. */
  exited: Promise<RunResult>;
}

export interface SpawnOptions {
  cwd?: string;
  /** Extra environment; FERRY_DB and XDG_CONFIG_HOME default to paths under `home`. */
  env?: Record<string, string | undefined>;
  /** A scratch folder standing in for the user's home, so no test touches the real data folder. */
  home: string;
  /** Run the file itself, through its shebang line, as a shell or npm's link does. */
  direct?: boolean;
}

export function startFerry(args: string[], opts: SpawnOptions): FerryProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Never let a test fall back to the real ~/.config/Ferry/ferry.db.
    HOME: opts.home,
    XDG_CONFIG_HOME: path.join(opts.home, '.config'),
    FERRY_DB: path.join(opts.home, 'env-default.db'),
    // Colour and terminal hints must not leak in from the developer's shell.
    FORCE_COLOR: undefined,
    ...opts.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const [cmd, argv] = opts.direct ? [BIN, args] : [process.execPath, [BIN, ...args]];
  const child = spawn(cmd, argv, { cwd: opts.cwd ?? opts.home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<RunResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
  };
}

/** Runs ferry to the end; a run that takes longer than `timeoutMs` is killed and reported. */
export async function runFerry(args: string[], opts: SpawnOptions & { timeoutMs?: number }): Promise<RunResult> {
  const p = startFerry(args, opts);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      p.child.kill('SIGKILL');
      reject(new Error(`ferry ${args.join(' ')} did not exit within ${timeoutMs} ms\nstdout:\n${p.stdout}\nstderr:\n${p.stderr}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([p.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Non-empty lines of some output. */
export function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

/** Reads a Ferry database directly (read-only), for what `list` does not show, like segments. */
export function readDb<T>(dbPath: string, fn: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Changes a Ferry database the way a crash at a given moment would have left it. */
export function writeDb(dbPath: string, fn: (db: Database.Database) => void): void {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    fn(db);
  } finally {
    db.close();
  }
}

/** `[start, end)` of file bytes a response sent, from the fault server's record of it. */
export function sentInterval(r: RequestRecord, size: number): [number, number] | null {
  if (r.method !== 'GET' || (r.status !== 200 && r.status !== 206) || r.bodyBytesSent === 0) return null;
  let start = 0;
  if (r.status === 206) {
    const range = parseRange(r.range, size);
    if (range.kind !== 'partial') return null;
    start = range.start;
  }
  return [start, Math.min(size, start + r.bodyBytesSent)];
}

/**
 * Splits a path's requests into runs (by index where each run began) and returns, per run after
 * the first, how many bytes it fetched that an earlier run had already been sent: the cost of the
 * interruption that ended the run before it.
 */
export function refetchedPerRun(records: readonly RequestRecord[], filePath: string, size: number, runStarts: number[]): number[] {
  const before = new IntervalSet();
  const out: number[] = [];
  for (let run = 0; run < runStarts.length; run++) {
    const from = runStarts[run]!;
    const to = runStarts[run + 1] ?? records.length;
    const mine = records.slice(from, to).filter((r) => r.path === filePath);
    const intervals = mine.map((r) => sentInterval(r, size)).filter((x): x is [number, number] => x !== null);
    if (run > 0) {
      let again = 0;
      for (const [s, e] of intervals) for (const [a, b] of before.intersect(s, e)) again += b - a;
      out.push(again);
    }
    for (const [s, e] of intervals) before.add(s, e);
  }
  return out;
}

/** File bytes sent at least once for a path (distinct bytes, however often each was sent). */
export function distinctBytesSent(records: readonly RequestRecord[], filePath: string, size: number): number {
  const set = new IntervalSet();
  for (const r of records) {
    if (r.path !== filePath) continue;
    const i = sentInterval(r, size);
    if (i) set.add(i[0], i[1]);
  }
  return set.size;
}

/** Polls until `check` holds; unlike a fixed sleep this follows the process, not the clock. */
export async function until(check: () => boolean, timeoutMs: number, what: string, intervalMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until a counter stops moving for `quietMs` (a killed client's sockets have drained). */
export async function settle(read: () => number, quietMs = 200, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = read();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 20));
    const now = read();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

export function fmtMiB(n: number): string {
  return `${(n / MiB).toFixed(2)} MiB`;
}

export interface CliSandbox {
  server: FaultServer;
  /** A fresh HOME (and state folder) for this test. */
  home: string;
  /** A fresh download folder for this test. */
  dir: string;
}

/**
 * The hooks every CLI suite shares: the built CLI and one fault server for the file, fresh HOME
 * and download folders (and clean server statistics) for each test. `onEach` receives them.
 */
export function useCliSandbox(name: string, onEach: (sandbox: CliSandbox) => void, serverOptions: FaultServerOptions = {}): void {
  let server: FaultServer;
  beforeAll(async () => {
    await ensureBuilt();
    server = await startFaultServer(serverOptions);
  }, 120_000);
  afterAll(() => server.close());
  beforeEach(async () => {
    const home = await makeTempDir(`ferry-cli-${name}-home-`);
    const dir = await makeTempDir(`ferry-cli-${name}-`);
    server.resetStats();
    onEach({ server, home, dir });
  });
  afterEach(removeTempDirs);
}

