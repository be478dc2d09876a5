// The download queue: runs at most `maxConcurrent` downloads in position order, keeps every
// state in the store, checkpoints running downloads at a bounded interval, and sends progress
// in batches. Dependencies are passed in, so the same engine runs in Electron, the CLI and tests.
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DownloadTask, type TaskOutcome } from './download-task.js';
import type { Engine, EngineEvents, RemoveOptions } from './engine-api.js';
import { AbortedError, InvalidStateError, NotFoundError } from './errors.js';
import { partPath, sanitizeFileName } from './file-name.js';
import { createHttpClient, type HttpClient, type TrustedCertificates } from './http-client.js';
import { createFastRangeClient } from './fast-range.js';
import {
  DEFAULT_SETTINGS,
  MAX_CONNECTIONS,
  MIN_CONNECTIONS,
  type AddOptions,
  type Download,
  type DownloadSnapshot,
  type DownloadStatus,
  type EngineSettings,
} from './model.js';
import { SpeedMeter } from './speed-meter.js';
import { toSnapshot } from './snapshot.js';
import { canTransition, isActive } from './status.js';
import { validateUrl } from './url-policy.js';
import type { DownloadPatch } from '../store/downloads-repo.js';
import type { Store } from '../store/store.js';
import { EventHub } from './event-hub.js';
import { isProcessAlive } from './process-alive.js';
import { watchForSpace } from './space-watch.js';
import { parseChecksum } from './checksum.js';
import { QueuedHeap } from './queued-heap.js';
import { currentBootId } from './boot-id.js';

export interface EngineDeps {
  store: Store;
  /** Overrides on top of the stored settings, not persisted (tests, CLI flags). */
  settings?: Partial<EngineSettings>;
  http?: HttpClient;
  now?: () => number;
  pid?: number;
  /** This boot of the machine; tests pass another to act out a power cut. */
  bootId?: string;
  ca?: TrustedCertificates;
}

interface Running {
  task: DownloadTask;
  done: Promise<void>;
  meter: SpeedMeter;
  lastReceived: number;
}

export function createEngine(deps: EngineDeps): Engine {
  const { store } = deps;
  const now = deps.now ?? Date.now;
  const pid = deps.pid ?? process.pid;
  const bootId = deps.bootId ?? currentBootId();
  let settings: EngineSettings = { ...DEFAULT_SETTINGS, ...store.settings.load(), ...deps.settings };
  const http =
    deps.http ?? createHttpClient({ connectTimeoutMs: settings.connectTimeoutMs, responseTimeoutMs: settings.idleTimeoutMs, ca: deps.ca });
  const fast = settings.fastPath ? createFastRangeClient({ ca: deps.ca }) : null;
  const records = new Map<number, Download>();
  // Every queued download, in queue order: what `schedule` starts next. Fed wherever a download
  // becomes queued (apply, keep) and rebuilt when positions change (move).
  const queued = new QueuedHeap((d) => records.get(d.id) === d);
  const onDisk = new Map<number, number>();
  const running = new Map<number, Running>();
  const events = new EventHub<EngineEvents>();
  const changed = new Set<number>();
  let removed: number[] = [];
  let closing = false;
  const spaceWatchers = new Map<number, () => void>();

  const progressTimer = setInterval(flushProgress, settings.progressIntervalMs);
  const checkpointTimer = setInterval(checkpointAll, settings.checkpointIntervalMs);
  progressTimer.unref();
  checkpointTimer.unref();

  /** Takes `d` into the engine's records (and, when queued, into the queue). */
  function keep(d: Download): void {
    records.set(d.id, d);
    queued.push(d);
  }

  function record(id: number): Download {
    const d = records.get(id);
    if (!d) throw new NotFoundError(id);
    return d;
  }

  function apply(d: Download, patch: DownloadPatch): void {
    if (patch.status && !canTransition(d.status, patch.status)) {
      throw new InvalidStateError(`A download that is ${d.status} cannot become ${patch.status}.`);
    }
    store.downloads.update(d.id, patch);
    Object.assign(d, patch, { updatedAt: now() });
    changed.add(d.id);
    if (patch.status === 'queued') queued.push(d);
  }

  function snapshot(d: Download, withStoredSegments = false): DownloadSnapshot {
    const r = running.get(d.id);
    if (r) {
      return toSnapshot(d, {
        downloaded: r.task.downloaded(),
        speed: r.meter.speed(),
        activeConnections: r.task.activeConnections(),
        connectionTrial: r.task.connectionTrial(),
        segments: r.task.segments.map((s) => ({ start: s.start, end: s.end, written: s.claimed, active: s.worker !== null })),
      });
    }
    const downloaded = d.status === 'completed' ? (d.size ?? onDisk.get(d.id) ?? 0) : (onDisk.get(d.id) ?? 0);
    const segments = withStoredSegments ? store.segments.list(d.id, bootId).map((s) => ({ ...s, active: false })) : [];
    return toSnapshot(d, { downloaded, speed: 0, activeConnections: 0, connectionTrial: null, segments });
  }

  function schedule(): void {
    if (closing) return;
    if (running.size >= settings.maxConcurrent) return;
    // Stale entries (downloads since paused, moved or removed) pile up in a long, busy queue.
    if (queued.size > 2 * records.size + 1024) queued.rebuild(records.values());
    const next = queued.take(settings.maxConcurrent - running.size);
    if (next.length === 0) return;
    try {
      // The claims of every download started here share one commit.
      store.transaction(() => {
        for (const d of next) startTask(d);
      });
    } finally {
      // One that did not start (the commit failed) is still queued, and must stay findable.
      for (const d of next) if (d.status === 'queued') queued.push(d);
    }
  }

  function startTask(d: Download): void {
    store.transaction(() => {
      apply(d, { status: d.size === null ? 'probing' : 'downloading', error: null });
      store.downloads.setOwner(d.id, pid);
    });
    const task = new DownloadTask(d, store.segments.listProgress(d.id, bootId), {
      http,
      settings,
      update: (patch) => apply(d, patch),
      replaceSegments: (segments, boot) => store.segments.replace(d.id, segments, boot),
      saveSegments: (segments, boot) => store.segments.save(d.id, segments, boot),
      bootId,
      // Every record's name is written to the store as it is claimed: one indexed query answers.
      isNameTaken: (dir, name) => store.downloads.nameTaken(dir, name, d.id),
      batch: (fn) => store.commitSoon(fn),
      fast,
      sleep,
    });
    const entry: Running = { task, meter: new SpeedMeter(), lastReceived: 0, done: Promise.resolve() };
    entry.meter.sample(now(), 0);
    // The final status, the owner and the next queued download's claim share one commit with
    // those of the other downloads ending in this turn (group-commit.ts). The download keeps its
    // slot, and stays running to `pause` and `close`, until that commit is made.
    entry.done = task
      .run()
      .then((outcome) => store.commitSoon(() => settleTask(d, entry, outcome)).then(() => announceEnd(d, outcome)));
    running.set(d.id, entry);
  }

  function settleTask(d: Download, entry: Running, outcome: TaskOutcome): void {
    running.delete(d.id);
    onDisk.set(d.id, entry.task.downloaded());
    changed.add(d.id);
    if (records.get(d.id) === d) store.downloads.setOwner(d.id, null);
    if (outcome.kind === 'completed') apply(d, { status: 'completed', completedAt: now(), error: null });
    else if (outcome.kind === 'failed' && outcome.error.code === 'DISK_FULL') {
      // Nothing is wrong with the download: pause it, keep every byte, resume when there is room.
      apply(d, { status: 'paused', error: outcome.error.toInfo() });
    } else if (outcome.kind === 'failed') apply(d, { status: 'failed', error: outcome.error.toInfo() });
    schedule();
  }

  function announceEnd(d: Download, outcome: TaskOutcome): void {
    if (outcome.kind === 'failed' && outcome.error.code === 'DISK_FULL') waitForRoom(d);
    else if (outcome.kind !== 'stopped') events.emit('finished', snapshot(d));
  }

  function waitForRoom(d: Download): void {
    spaceWatchers.get(d.id)?.();
    const remaining = () => (d.size === null ? 0 : Math.max(0, d.size - (onDisk.get(d.id) ?? 0)));
    const stop = watchForSpace(d.directory, remaining, () => {
      spaceWatchers.delete(d.id);
      if (records.get(d.id) === d && d.status === 'paused' && d.error?.code === 'DISK_FULL') engine.resume(d.id);
    }, settings.spaceCheckIntervalMs);
    spaceWatchers.set(d.id, stop);
  }

  function stopWaitingForRoom(id: number): void {
    spaceWatchers.get(id)?.();
    spaceWatchers.delete(id);
  }

  /** Stops a running download and waits until its last checkpoint is written. */
  async function stopTask(id: number): Promise<void> {
    const r = running.get(id);
    if (!r) return;
    r.task.stop();
    await r.done;
  }

  function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new AbortedError());
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  function flushProgress(): void {
    const t = now();
    for (const [id, r] of running) {
      r.meter.sample(t, r.task.received);
      if (r.task.received !== r.lastReceived) {
        r.lastReceived = r.task.received;
        changed.add(id);
      }
    }
    if (changed.size === 0 && removed.length === 0) return;
    const updated = [...changed].flatMap((id) => {
      const d = records.get(id);
      return d ? [snapshot(d)] : [];
    });
    const gone = removed;
    changed.clear();
    removed = [];
    events.emit('progress', { updated, removed: gone });
  }

  function checkpointAll(): void {
    for (const [id, r] of running) {
      r.task.checkpoint().catch(() => {});
      applyControlRequest(id);
    }
  }

  /** `ferry pause ID` from another process leaves a request on the row; act on it here. */
  function applyControlRequest(id: number): void {
    const control = store.downloads.owner(id)?.control;
    if (!control) return;
    store.downloads.requestControl(id, null);
    const act =
      control === 'pause' ? engine.pause(id) : control === 'cancel' ? engine.cancel(id) : engine.remove(id, { deleteFile: control === 'remove-delete' });
    act.catch(() => {});
  }

  async function deleteFiles(d: Download, includeFinal: boolean): Promise<void> {
    if (!d.fileName) return;
    await fs.rm(partPath(d.directory, d.fileName), { force: true });
    if (includeFinal && d.status === 'completed') await fs.rm(path.join(d.directory, d.fileName), { force: true });
  }

  const engine: Engine = {
    start() {
      const totals = store.segments.totals(bootId);
      for (const d of store.downloads.list()) {
        if (records.has(d.id)) continue;
        keep(d);
        onDisk.set(d.id, totals.get(d.id) ?? 0);
        if (isActive(d.status)) {
          const owner = store.downloads.owner(d.id)?.pid ?? null;
          if (owner !== null && owner !== pid && isProcessAlive(owner)) continue;
          apply(d, { status: 'queued' });
        }
      }
      schedule();
    },

    add(options: AddOptions) {
      const url = validateUrl(options.url);
      if (typeof options.directory !== 'string' || !path.isAbsolute(options.directory)) {
        throw new InvalidStateError('The download folder must be an absolute path.');
      }
      const connections = clampConnections(options.connections ?? settings.connections);
      const checksum = options.checksum === undefined || options.checksum === '' ? null : parseChecksum(options.checksum);
      const d = store.downloads.insert({
        checksum,
        url,
        directory: path.resolve(options.directory),
        fileName: options.fileName ? sanitizeFileName(options.fileName) : null,
        fileNameFixed: Boolean(options.fileName),
        overwrite: options.overwrite ?? false,
        status: options.paused ? 'paused' : 'queued',
        connections,
      });
      keep(d);
      onDisk.set(d.id, 0);
      changed.add(d.id);
      schedule();
      return snapshot(d);
    },

    attach(id) {
      let d = records.get(id);
      if (!d) {
        d = store.downloads.get(id);
        if (!d) throw new NotFoundError(id);
        keep(d);
        onDisk.set(id, store.segments.list(id, bootId).reduce((n, s) => n + s.written, 0));
      }
      if (isActive(d.status) && !running.has(id)) {
        const owner = store.downloads.owner(id)?.pid ?? null;
        if (owner !== null && owner !== pid && isProcessAlive(owner)) {
          throw new InvalidStateError(`Download ${id} is being downloaded by another Ferry process (pid ${owner}).`);
        }
        apply(d, { status: 'queued' });
        schedule();
      } else if (d.status === 'queued') {
        // Left queued by a process that died before starting it: nothing else would start it.
        schedule();
      }
      return snapshot(d);
    },

    async pause(id) {
      const d = record(id);
      if (d.status === 'paused') return;
      if (!['queued', 'probing', 'downloading'].includes(d.status)) {
        throw new InvalidStateError(`A download that is ${d.status} cannot be paused.`);
      }
      await stopTask(id);
      if (records.has(id) && d.status !== 'completed' && d.status !== 'failed') apply(d, { status: 'paused' });
    },

    resume(id) {
      const d = record(id);
      if (d.status === 'queued' || isActive(d.status)) return;
      if (!canTransition(d.status, 'queued')) throw new InvalidStateError(`A download that is ${d.status} cannot be resumed.`);
      stopWaitingForRoom(id);
      apply(d, { status: 'queued', error: null });
      schedule();
    },

    retry(id) {
      const d = record(id);
      if (d.status !== 'failed' && d.status !== 'canceled') {
        throw new InvalidStateError(`Only a failed or canceled download can be retried (this one is ${d.status}).`);
      }
      if (d.error?.code === 'CHECKSUM_MISMATCH') {
        // The bytes are all there but wrong: a retry is a fresh download, not a resume.
        if (d.fileName) fsSync.rmSync(partPath(d.directory, d.fileName), { force: true });
        store.segments.clear(id);
        onDisk.set(id, 0);
        apply(d, { size: null, etag: null, lastModified: null, resumable: false, checksum: d.checksum?.source === 'user' ? d.checksum : null });
      }
      engine.resume(id);
    },

    async cancel(id) {
      const d = record(id);
      if (d.status === 'canceled') return;
      if (d.status === 'completed') throw new InvalidStateError('A completed download cannot be canceled.');
      await stopTask(id);
      await deleteFiles(d, false);
      store.segments.clear(id);
      onDisk.set(id, 0);
      apply(d, { status: 'canceled' as DownloadStatus, size: null, etag: null, lastModified: null, resumable: false, fileName: d.fileNameFixed ? d.fileName : null });
    },

    async remove(id, options: RemoveOptions = {}) {
      const d = record(id);
      stopWaitingForRoom(id);
      await stopTask(id);
      if (options.deleteFile) await deleteFiles(d, true);
      store.downloads.remove(id);
      records.delete(id);
      onDisk.delete(id);
      changed.delete(id);
      removed.push(id);
      schedule();
    },

    move(id, toIndex) {
      record(id);
      const order = [...records.values()].sort((a, b) => a.position - b.position || a.id - b.id).map((d) => d.id);
      const from = order.indexOf(id);
      order.splice(from, 1);
      order.splice(Math.max(0, Math.min(order.length, Math.floor(toIndex))), 0, id);
      store.downloads.reorder(order);
      order.forEach((oid, i) => {
        const d = records.get(oid)!;
        if (d.position !== i + 1) {
          d.position = i + 1;
          changed.add(oid);
        }
      });
      queued.rebuild(records.values());
      schedule();
    },

    async pauseAll() {
      const ids = [...records.values()].filter((d) => d.status === 'queued' || isActive(d.status)).map((d) => d.id);
      // Queued ones first, so a slot freed by a stopping download is not handed to them.
      for (const id of ids) if (records.get(id)?.status === 'queued') apply(records.get(id)!, { status: 'paused' });
      await Promise.all(ids.map((id) => (running.has(id) ? engine.pause(id) : Promise.resolve())));
    },

    resumeAll() {
      for (const d of records.values()) {
        if (d.status !== 'paused') continue;
        stopWaitingForRoom(d.id);
        apply(d, { status: 'queued', error: null });
      }
      schedule();
    },

    get(id) {
      return snapshot(record(id), true);
    },

    list() {
      return [...records.values()].sort((a, b) => a.position - b.position || a.id - b.id).map((d) => snapshot(d));
    },

    settings() {
      return { ...settings };
    },

    updateSettings(patch) {
      const next = { ...settings, ...patch };
      next.maxConcurrent = Math.max(1, Math.min(100, Math.floor(next.maxConcurrent)));
      next.connections = clampConnections(next.connections);
      store.settings.save(patch);
      settings = next;
      schedule();
      return { ...settings };
    },

    on(event, listener) {
      return events.on(event, listener);
    },

    async close() {
      closing = true;
      for (const id of [...spaceWatchers.keys()]) stopWaitingForRoom(id);
      clearInterval(progressTimer);
      clearInterval(checkpointTimer);
      const stopping = [...running.keys()];
      await Promise.all(stopping.map(stopTask));
      // Statuses stay as they were, so the next start resumes what was running.
      for (const id of stopping) {
        const d = records.get(id);
        if (d && isActive(d.status)) store.downloads.setOwner(id, null);
      }
      flushProgress();
      http.destroy();
      fast?.destroy();
    },
  };
  return engine;
}

function clampConnections(n: number): number {
  if (!Number.isFinite(n)) return DEFAULT_SETTINGS.connections;
  return Math.max(MIN_CONNECTIONS, Math.min(MAX_CONNECTIONS, Math.floor(n)));
}

