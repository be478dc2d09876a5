// Tools for the crash soak test: a seeded PRNG (so a failing schedule can be replayed), the kill
// triggers that watch a running `ferry get` from outside (its download folder, its database
// files, the server's byte counts), and an inspection of the database a SIGKILL left behind.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { IntervalSet } from '../helpers/byte-intervals.js';
import type { RequestRecord } from '../helpers/fault-server.js';
import { sentInterval } from '../cli/harness.js';

/** mulberry32: a tiny, good-enough seeded PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], rnd: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** An integer in [lo, hi]. */
export function between(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

// ---------------------------------------------------------------------------------------------
// Kill triggers. Each watches from outside the process and calls `fire(detail)` at its moment;
// the caller SIGKILLs the child right there, in the same tick. inotify (fs.watch) delivers file
// system events within a fraction of a millisecond; a short poll backs it up.

export interface Trigger {
  /** Resolves with a description of the moment when the trigger fires. */
  fired: Promise<string>;
  dispose(): void;
}

interface TriggerSource {
  /** Folders whose changes may make `check` true. */
  watch: string[];
  /** Returns a description when it is time to kill, else null. */
  check(): string | null;
  pollMs: number;
}

function makeTrigger(src: TriggerSource): Trigger {
  let resolve!: (detail: string) => void;
  const fired = new Promise<string>((r) => (resolve = r));
  let done = false;
  const watchers: fs.FSWatcher[] = [];
  const run = () => {
    if (done) return;
    const detail = src.check();
    if (detail === null) return;
    done = true;
    resolve(detail);
  };
  for (const dir of src.watch) {
    try {
      const w = fs.watch(dir, run);
      w.on('error', () => {});
      watchers.push(w);
    } catch {
      // The poll below still sees every change, a little later.
    }
  }
  const timer = setInterval(run, src.pollMs);
  run();
  return {
    fired,
    dispose() {
      done = true;
      clearInterval(timer);
      for (const w of watchers) w.close();
    },
  };
}

export function afterDelay(ms: number): Trigger {
  let timer: NodeJS.Timeout | undefined;
  const fired = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`${ms} ms after spawn`), ms);
  });
  return { fired, dispose: () => clearTimeout(timer) };
}

function sizeOrZero(p: string): number {
  return fs.statSync(p, { throwIfNoEntry: false })?.size ?? 0;
}

/** Fires right after the `-wal` file changed size for the `skip + 1`-th time: a commit just landed. */
export function onWalChange(db: string, skip: number): Trigger {
  const wal = `${db}-wal`;
  let last = sizeOrZero(wal);
  let seen = 0;
  return makeTrigger({
    watch: [path.dirname(db)],
    pollMs: 2,
    check() {
      const now = sizeOrZero(wal);
      if (now === last) return null;
      const from = last;
      last = now;
      seen++;
      return seen > skip ? `WAL size change #${seen} (${from} -> ${now} bytes)` : null;
    },
  });
}

/** Fires when a final name appears in `dir` that was not there at spawn: the rename's link(). */
export function onFinalName(dir: string, names: readonly string[]): Trigger {
  const before = new Set(names.filter((n) => fs.existsSync(path.join(dir, n))));
  return makeTrigger({
    watch: [dir],
    pollMs: 1,
    check() {
      for (const n of names) {
        if (before.has(n) || !fs.existsSync(path.join(dir, n))) continue;
        const part = fs.existsSync(path.join(dir, `${n}.part`));
        return `${n} appeared (${part ? '.part still there' : '.part already gone'} when seen)`;
      }
      return null;
    },
  });
}

/** Fires when a `.part` appears in `dir` that was not there at spawn: a fresh download reserved its name. */
export function onNewPart(dir: string): Trigger {
  const before = new Set(fs.readdirSync(dir).filter((n) => n.endsWith('.part')));
  return makeTrigger({
    watch: [dir],
    pollMs: 1,
    check() {
      const fresh = fs.readdirSync(dir).find((n) => n.endsWith('.part') && !before.has(n));
      return fresh ? `${fresh} created` : null;
    },
  });
}

/**
 * Fires once the server has delivered every byte of some file that is not yet on disk: the
 * bytes it sent since `fromRequest`, together with what the database already claimed at spawn,
 * cover the whole file. The process is then flushing, checkpointing and hashing before the rename.
 */
export function onLastByte(
  requests: () => readonly RequestRecord[],
  fromRequest: number,
  files: ReadonlyArray<{ urlPath: string; size: number; claimed: Array<[number, number]> }>,
): Trigger {
  return makeTrigger({
    watch: [],
    pollMs: 3,
    check() {
      const recs = requests();
      for (const f of files) {
        const set = new IntervalSet();
        for (const [s, e] of f.claimed) set.add(s, e);
        for (let i = fromRequest; i < recs.length; i++) {
          const r = recs[i]!;
          if (r.path !== f.urlPath) continue;
          const iv = sentInterval(r, f.size);
          if (iv) set.add(iv[0], iv[1]);
        }
        if (set.size >= f.size) return `the server sent the last byte of ${path.posix.basename(f.urlPath)}`;
      }
      return null;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// The database a kill left behind.

export interface RowState {
  id: number;
  url: string;
  directory: string;
  fileName: string | null;
  status: string;
  size: number | null;
  sha256: string | null;
  segments: Array<{ start: number; end: number | null; written: number }>;
}

export interface DbState {
  integrity: string;
  rows: RowState[];
}

/**
 * Copies the database and its `-wal` (not the `-shm`: the next process rebuilds that index from
 * the WAL, as after a reboot) and reads the copy, so the real files stay exactly as the kill left
 * them and no handle of ours is open when the next `ferry` starts.
 */
export function inspectDbCopy(db: string, scratch: string): DbState {
  fs.mkdirSync(scratch, { recursive: true });
  const copy = path.join(scratch, 'copy.db');
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(copy + suffix, { force: true });
  if (!fs.existsSync(db)) return { integrity: 'ok (no database yet)', rows: [] };
  fs.copyFileSync(db, copy);
  if (fs.existsSync(`${db}-wal`)) fs.copyFileSync(`${db}-wal`, `${copy}-wal`);
  const d = new Database(copy, { fileMustExist: true });
  try {
    const integrity = (d.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    const hasTables = d.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'segments'").get();
    if (!hasTables) return { integrity, rows: [] };
    const rows = d
      .prepare('SELECT id, url, directory, file_name AS fileName, status, size, sha256 FROM downloads ORDER BY id')
      .all() as Array<Omit<RowState, 'segments'>>;
    const seg = d.prepare('SELECT start, end, written FROM segments WHERE download_id = ? ORDER BY start');
    return { integrity, rows: rows.map((r) => ({ ...r, segments: seg.all(r.id) as RowState['segments'] })) };
  } finally {
    d.close();
  }
}

/** `[start, start + written)` of each segment that claims bytes. */
export function claimedIntervals(row: RowState): Array<[number, number]> {
  return row.segments.filter((s) => s.written > 0).map((s) => [s.start, s.start + s.written]);
}

/** What the rows of one folder claim, by URL path. */
export function claimsByPath(state: DbState, directory: string): Map<string, Array<[number, number]>> {
  return new Map(state.rows.filter((r) => r.directory === directory).map((r) => [new URL(r.url).pathname, claimedIntervals(r)]));
}

/**
 * Bytes of `claimed` that responses `from`..`to` (exclusive) for `urlPath` sent again: a resumed
 * download must ask only for what its database does not claim, so this is 0 when resume works.
 */
export function claimedBytesFetchedAgain(
  records: readonly RequestRecord[],
  from: number,
  to: number,
  urlPath: string,
  size: number,
  claimed: ReadonlyArray<[number, number]>,
): number {
  const set = new IntervalSet();
  for (const [s, e] of claimed) set.add(s, e);
  let again = 0;
  for (let i = from; i < to; i++) {
    const r = records[i]!;
    if (r.path !== urlPath) continue;
    const iv = sentInterval(r, size);
    if (iv) for (const [a, b] of set.intersect(iv[0], iv[1])) again += b - a;
  }
  return again;
}

/**
 * The crash-safety invariants a kill must never break, for one download row. Returns the broken
 * ones, described (empty when all hold).
 */
export function checkRow(row: RowState, source: Buffer, sourceSha: string, sha: (b: Buffer) => string): string[] {
  const problems: string[] = [];
  const name = row.fileName;
  if (!name) {
    if (row.segments.some((s) => s.written > 0)) problems.push(`row ${row.id}: claims bytes but has no file name`);
    return problems;
  }
  const finalPath = path.join(row.directory, name);
  const partPath = `${finalPath}.part`;
  const final = fs.existsSync(finalPath) ? fs.readFileSync(finalPath) : null;
  const part = fs.existsSync(partPath) ? fs.readFileSync(partPath) : null;
  // The final name appears only for a complete, byte-identical file.
  if (final && sha(final) !== sourceSha) problems.push(`${name}: the final name holds ${final.length} bytes that are not the source`);
  if (row.status === 'completed') {
    if (!final) problems.push(`${name}: "completed" in the database but no file at the final name`);
    if (part) problems.push(`${name}: "completed" in the database but ${name}.part is still there`);
    if (row.sha256 !== null && row.sha256 !== sourceSha) problems.push(`${name}: recorded sha256 ${row.sha256} is not the source's`);
    return problems;
  }
  // Every byte a checkpoint claims is on disk and equals the source (the .part, or the final file
  // when the kill landed after the rename).
  const data = part ?? final;
  for (const [s, e] of claimedIntervals(row)) {
    if (!data) {
      problems.push(`${name}: the database claims bytes ${s}-${e} but neither ${name} nor ${name}.part exists`);
      break;
    }
    if (data.length < e) {
      problems.push(`${name}: claims bytes up to ${e} but the file on disk has only ${data.length}`);
      continue;
    }
    if (!data.subarray(s, e).equals(source.subarray(s, e))) problems.push(`${name}: claimed bytes ${s}-${e} differ from the source`);
  }
  if (row.size !== null && row.size !== source.length) problems.push(`${name}: size ${row.size} recorded, source has ${source.length}`);
  return problems;
}
