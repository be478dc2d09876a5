// Hashes a partial file while it downloads, on a worker thread: the worker reads back the bytes
// written in order from the start (from the page cache) and hashes them, so by the time the last
// byte lands only the last few MiB are left to hash, and the main thread, which moves the data,
// never spends its time on SHA-256 (0.75 s per GiB here).
//
// One worker serves every download of the process. It is created on first use and lets the
// process exit whenever no hash is pending.
import { Worker } from 'node:worker_threads';
import type { ChecksumAlgorithm } from './model.js';
import { StorageError } from './errors.js';
import { NODE_NAME } from './checksum.js';

/** Tell the worker about progress in steps of at least this much: few messages, short tail. */
const ADVANCE_STEP = 4 * 1024 * 1024;

// Plain JavaScript, run with `eval`: no file to resolve in the CLI bundle, the tests or an asar.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const crypto = require('node:crypto');
// 256 KiB reads hash as fast as 1 MiB ones here (the bytes are in the page cache) and hold less.
const CHUNK = 256 * 1024;
// Not at the allocation's start: a buffer this big may come straight from mmap, 16 bytes past a
// page boundary, and on this machine's AMD CPU the kernel copies out of the page cache (whose pages
// start on one) 3-4x slower into such a destination: 0.65-0.75 against 0.14-0.2 CPU s per GiB
// read back, in isolation. Whether malloc places it there depends on what the process freed before.
const buf = Buffer.allocUnsafeSlow(CHUNK + 64).subarray(64);
const jobs = new Map();
let scheduled = false;
const schedule = () => { if (!scheduled) { scheduled = true; setImmediate(run); } };
parentPort.on('message', (m) => {
  if (m.type === 'open') {
    jobs.set(m.job, { path: m.path, algorithms: m.algorithms, hashes: m.algorithms.map((a) => crypto.createHash(a)), fd: null, hashed: 0, frontier: 0, end: undefined });
  } else {
    const j = jobs.get(m.job);
    if (!j) return;
    if (m.type === 'advance') j.frontier = Math.max(j.frontier, m.frontier);
    else if (m.type === 'finish') j.end = m.size;
    else if (m.type === 'close') { if (j.fd !== null) fs.closeSync(j.fd); jobs.delete(m.job); return; }
  }
  schedule();
});
function run() {
  scheduled = false;
  let more = false;
  for (const [id, j] of jobs) {
    try {
      // Once finished, hash up to the size (or to the end of the file when the size is unknown).
      const limit = j.end === undefined ? j.frontier : j.end === null ? Infinity : j.end;
      let eof = false;
      if (j.hashed < limit) {
        if (j.fd === null) j.fd = fs.openSync(j.path, 'r');
        const n = fs.readSync(j.fd, buf, 0, Math.min(CHUNK, limit - j.hashed), j.hashed);
        if (n === 0) eof = true;
        for (const h of j.hashes) h.update(buf.subarray(0, n));
        j.hashed += n;
      }
      if (j.end !== undefined && (j.hashed >= limit || eof)) {
        if (j.end !== null && j.hashed < j.end) throw new Error('the file is shorter than its size');
        const hex = j.hashes.map((h) => h.digest('hex'));
        if (j.fd !== null) fs.closeSync(j.fd);
        jobs.delete(id);
        parentPort.postMessage({ job: id, hex, bytes: j.hashed });
      } else if (j.hashed < limit) {
        more = true;
      }
    } catch (error) {
      if (j.fd !== null) try { fs.closeSync(j.fd); } catch {}
      jobs.delete(id);
      parentPort.postMessage({ job: id, error: String(error && error.message || error) });
    }
  }
  if (more) schedule();
}
`;

interface Pending {
  resolve(hex: string[]): void;
  reject(error: Error): void;
}

interface Shared {
  worker: Worker;
  alive: boolean;
  nextJob: number;
  waiting: Map<number, Pending>;
}

let shared: Shared | null = null;

function sharedWorker(): Shared {
  if (shared) return shared;
  // The thread only hashes: a small heap keeps its share of the process's memory small.
  const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 } });
  const s: Shared = { worker, alive: true, nextJob: 1, waiting: new Map() };
  worker.on('message', (m: { job: number; hex?: string[]; error?: string }) => {
    const p = s.waiting.get(m.job);
    if (!p) return;
    s.waiting.delete(m.job);
    if (s.waiting.size === 0) worker.unref();
    if (m.hex) p.resolve(m.hex);
    else p.reject(new StorageError('HASH_FAILED', `Could not read the downloaded file back to hash it: ${m.error}`));
  });
  const fail = (error: Error) => {
    s.alive = false;
    if (shared === s) shared = null;
    for (const p of s.waiting.values()) p.reject(error);
    s.waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the hashing thread stopped')));
  // After the listeners: adding a 'message' listener refs the worker again.
  worker.unref();
  shared = s;
  return s;
}

/** A hash of one partial file that follows its in-order progress. */
export class HashFollower {
  private readonly s = sharedWorker();
  private readonly job = this.s.nextJob++;
  private posted = 0;
  private done = false;

  constructor(
    path: string,
    readonly algorithms: readonly ChecksumAlgorithm[],
  ) {
    this.s.worker.postMessage({ type: 'open', job: this.job, path, algorithms: algorithms.map((a) => NODE_NAME[a]) });
  }

  /** Bytes `[0, frontier)` are on disk (their writes completed). */
  advance(frontier: number): void {
    if (this.done || frontier - this.posted < ADVANCE_STEP) return;
    this.posted = frontier;
    this.s.worker.postMessage({ type: 'advance', job: this.job, frontier });
  }

  /** Every byte is written: resolves with hex per algorithm once the worker has hashed them. */
  finish(size: number | null): Promise<Map<ChecksumAlgorithm, string>> {
    this.done = true;
    return new Promise<string[]>((resolve, reject) => {
      if (!this.s.alive) {
        reject(new StorageError('HASH_FAILED', 'The hashing thread stopped.'));
        return;
      }
      this.s.waiting.set(this.job, { resolve, reject });
      this.s.worker.ref();
      this.s.worker.postMessage({ type: 'finish', job: this.job, size });
    }).then((hex) => new Map(this.algorithms.map((a, i) => [a, hex[i]!])));
  }

  /** Forgets this hash (the download stopped or starts over). */
  close(): void {
    if (this.done) return;
    this.done = true;
    this.s.worker.postMessage({ type: 'close', job: this.job });
  }
}
