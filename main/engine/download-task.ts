// Runs one download from probe to rename: plans segments, drives the connections, steals work,
// falls back to one stream when ranges misbehave, and starts over when the file changed.
import fs from 'node:fs/promises';
import path from 'node:path';
import { pumpBody, type LiveSegment } from './body-pump.js';
import { AbortedError, FerryError, FileChangedError, RangeUnsupportedError, StorageError, toFerryError } from './errors.js';
import { chooseFileName, partPath } from './file-name.js';
import type { HttpClient, OpenResponse } from './http-client.js';
import type { ChecksumAlgorithm, ConnectionTrial, Download, EngineSettings, ProgressSegment, Segment } from './model.js';
import { PartFile } from './part-file.js';
import { createMakingFolder, moveIntoPlace, reserveName } from './place-file.js';
import { leadBytes, minStealBytes, planInOrder, planSegments, planSteal, remainingBytes, splitFront } from './planner.js';
import { MIN_PIECE, pieceSize } from './piece-size.js';
import { checkNotAnErrorPage, checkProbeResponse, statusError } from './response-check.js';
import { ChecksumMismatchError, PrefixHash, serverChecksum } from './checksum.js';
import { HashFollower } from './hash-follower.js';
import { ConnectionGovernor, GOVERNOR_DEFAULTS } from './connection-governor.js';
import { fastPathServes, NotFastError, type FastAnswer, type FastRangeClient } from './fast-range.js';
import { USER_AGENT } from './http-client.js';
import { checkRangeResponse, ifRangeValidator } from './response-check.js';
import { decodedBody, openRange, openWholeFile } from './segment-requests.js';
import { retryDelay } from './retry-delay.js';
import type { DownloadPatch } from '../store/downloads-repo.js';

export interface TaskDeps {
  http: HttpClient;
  settings: EngineSettings;
  /** Persists and applies a change to the download record. */
  update(patch: DownloadPatch): void;
  /** Replaces the whole segment plan in the store; `bootId` as for `saveSegments`. */
  replaceSegments(segments: ProgressSegment[], bootId: string | null): void;
  /** `bootId`: this boot, when bytes past each `durable` are only in the page cache; else null. */
  saveSegments(segments: ProgressSegment[], bootId: string | null): void;
  /** This boot of the machine (see boot-id.ts). */
  bootId: string;
  /** The lean http(s) range path (null: every request goes through got). */
  fast: FastRangeClient | null;
  /**
   * Runs `fn` in one store transaction: several updates, one commit, which other downloads'
   * commits of the same moment may share. Resolves once it is committed.
   */
  batch<T>(fn: () => T): Promise<T>;
  /** Another download already uses this name in this folder. */
  isNameTaken(directory: string, fileName: string): boolean;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

interface TaskSegment extends LiveSegment {
  /** Bytes of this segment known to be on stable storage. */
  durable: number;
  worker: Worker | null;
  failures: number;
}

interface Worker {
  controller: AbortController;
  segment: TaskSegment | null;
}

/** Files at least this big are hashed on the hashing thread while they download. */
const FOLLOW_MIN_SIZE = 8 * 1024 * 1024;

/** Starting over more often than this in one run means the file never holds still. */
const MAX_RESTARTS = 3;

export type TaskOutcome = { kind: 'completed' } | { kind: 'failed'; error: FerryError } | { kind: 'stopped' };

export class DownloadTask {
  segments: TaskSegment[] = [];
  /** Bytes written in this run, for the speed meter. */
  received = 0;
  private part: PartFile | null = null;
  private mode: 'ranges' | 'single' = 'ranges';
  private planVersion = 0;
  private dirty = false;
  private readonly stopController = new AbortController();
  private workers = new Set<Promise<void>>();
  private liveWorkers = new Set<Worker>();
  private failure: FerryError | null = null;
  private lastError: FerryError | null = null;
  private checkpointing: Promise<void> = Promise.resolve();
  /** When file data was last flushed to stable storage. */
  private lastSyncAt = Date.now();
  /** The stored progress claims bytes that are only in the page cache. */
  private unsynced = false;
  private alreadyInPlace = false;
  /** Follows the bytes written in order from 0, so the final hash need not read them back. */
  private prefixHash: PrefixHash | null = null;
  /** The lean path still serves this download's ranges. */
  private fastOk = true;
  /** Time to first byte of range requests (moving average), for the piece size. */
  private ttfbMs: number | null = null;
  private startedAt = performance.now();
  /** For big files: a worker thread hashes the in-order prefix from disk as it grows. */
  private follower: HashFollower | null = null;
  /** How many connections to keep busy (fewer when they are as fast: connection-governor.ts). */
  private governor = new ConnectionGovernor({ ...GOVERNOR_DEFAULTS, max: 1, fastAbove: 0 });
  /** Connections are being added (after the current read), up to the governor's target. */
  private adding = false;

  constructor(
    readonly download: Download,
    stored: ProgressSegment[],
    private readonly deps: TaskDeps,
  ) {
    this.segments = stored.map((s) => ({ ...s, claimed: s.written, worker: null, failures: 0 }));
  }

  get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  downloaded(): number {
    let n = 0;
    for (const s of this.segments) n += s.claimed;
    return n;
  }

  activeConnections(): number {
    return this.liveWorkers.size;
  }

  /** Fewer connections than allowed on purpose (a trial, or its outcome), for the window. */
  connectionTrial(): ConnectionTrial {
    return this.governor.trial;
  }

  /** Stops every connection; `run` then resolves with `stopped` after a final checkpoint. */
  stop(): void {
    this.stopController.abort();
    for (const w of this.liveWorkers) w.controller.abort();
  }

  async run(): Promise<TaskOutcome> {
    try {
      for (let restarts = 0; ; restarts++) {
        try {
          await this.transfer();
          break;
        } catch (error) {
          if (!(error instanceof FileChangedError) || this.stopped) throw error;
          if (restarts >= MAX_RESTARTS) {
            throw new FerryError('FILE_UNSTABLE', 'The file kept changing on the server while it was downloaded.');
          }
          await this.restart(error.message);
        }
      }
      await this.finish();
      return { kind: 'completed' };
    } catch (error) {
      if (this.stopped) return { kind: 'stopped' };
      return { kind: 'failed', error: toFerryError(error) };
    } finally {
      // Stopped or failed: flush, so the progress kept for later survives a power cut too.
      await this.checkpoint({ durable: true }).catch(() => {});
      this.follower?.close();
      await this.part?.close();
      this.part = null;
    }
  }

  /**
   * Saves segment progress. Every checkpoint claims only bytes whose write completed, so a killed
   * process loses nothing it claimed. Flushing to stable storage (for a power cut) is slow, so it
   * happens every `durableIntervalMs` and when asked (a download that stops); until then the
   * stored progress is marked with this boot and a later boot trusts only the flushed part.
   */
  checkpoint({ durable = false } = {}): Promise<void> {
    const next = this.checkpointing.then(async () => {
      if (!this.part) return;
      const s = this.deps.settings;
      const sync = s.durableCheckpoints && (durable || Date.now() - this.lastSyncAt >= s.durableIntervalMs);
      if (!this.dirty && !(sync && this.unsynced)) return;
      this.dirty = false;
      const version = this.planVersion;
      const snapshot = this.segments.map(({ start, end, written, durable: d }) => ({ start, end, written, durable: d }));
      if (sync) {
        await this.part.flush();
        this.lastSyncAt = Date.now();
        for (const sn of snapshot) sn.durable = sn.written;
      }
      if (version !== this.planVersion) return;
      const boot = s.durableCheckpoints && !sync ? this.deps.bootId : null;
      this.deps.saveSegments(snapshot, boot);
      this.unsynced = boot !== null;
      if (sync) {
        for (const sn of snapshot) {
          const live = this.segments.find((x) => x.start === sn.start);
          if (live) live.durable = Math.min(sn.durable, live.written);
        }
      }
    });
    this.checkpointing = next.catch(() => {});
    return next;
  }

  private async transfer(): Promise<void> {
    this.startedAt = performance.now();
    this.failure = null;
    this.lastError = null;
    const first = await this.begin();
    if (this.stopped) {
      // Paused while the probe was on its way: its body must not start a connection.
      first?.response.body.destroy();
      throw new AbortedError();
    }
    if (first) this.spawn(first.segment, first.response);
    const wanted = this.mode === 'single' ? 1 : this.download.connections;
    this.governor = new ConnectionGovernor({ ...GOVERNOR_DEFAULTS, max: wanted, fastAbove: this.deps.settings.connectionTrialAbove });
    while (this.liveWorkers.size < wanted && this.spawn(null, null));
    while (this.workers.size > 0) await Promise.race(this.workers);
    if (this.stopped) throw new AbortedError();
    if (this.failure) throw this.failure;
    if (!this.segments.every(isComplete)) {
      throw this.lastError ?? new FerryError('INCOMPLETE', 'The download stopped before all bytes arrived.');
    }
  }

  /** Probes a fresh download, or reopens the partial file of one being resumed. */
  private async begin(): Promise<{ segment: TaskSegment; response: FirstResponse } | null> {
    const d = this.download;
    if (this.segments.length > 0 && d.size !== null && d.fileName) {
      this.part = await PartFile.openExisting(this.partPath());
      if (!this.part) {
        // A crash between the rename and the database update leaves a complete file in place.
        if (this.segments.every(isComplete) && (await sizeOf(path.join(d.directory, d.fileName))) === d.size) {
          this.alreadyInPlace = true;
          return null;
        }
        throw new FileChangedError('The partial file was deleted or moved; starting over.');
      }
      await this.distrustBeyond(await this.part.size());
      this.mode = 'ranges';
      this.startFollowing();
      return null;
    }
    if (this.segments.length > 0) throw new FileChangedError('The server gave no size, so the download cannot resume.');
    if (d.status !== 'probing') this.deps.update({ status: 'probing' });
    const response = await this.withRetries(() => this.openProbe());
    try {
      const probe = checkProbeResponse(response.status, response.headers);
      // A restart's probe must still be the file, not the login page that replaced it.
      checkNotAnErrorPage(response.headers, d.contentType);
      const s = this.deps.settings;
      this.mode = probe.size !== null && probe.acceptsRanges ? 'ranges' : 'single';
      const plan =
        probe.size === null
          ? [{ start: 0, end: null, written: 0 }]
          : this.mode === 'ranges' && this.hashesWhileDownloading(probe.size)
            ? planInOrder(probe.size, d.connections, s.minSplitSize, MIN_PIECE)
            : planSegments(probe.size, this.mode === 'ranges' ? d.connections : 1, s.minSplitSize);
      const sent = serverChecksum(response.headers);
      // One commit for everything the probe learned, the plan (whose hash then includes the
      // algorithm of a checksum the server sent) and the name the file gets, if it is ours to choose.
      const record = (patch: DownloadPatch) =>
        this.deps.batch(() => {
          this.deps.update({
            ...patch,
            finalUrl: response.url,
            size: probe.size,
            etag: probe.etag,
            lastModified: probe.lastModified,
            resumable: false,
            status: 'downloading',
            ...(sent && d.checksum?.source !== 'user' ? { checksum: sent } : {}),
            ...(d.contentType === null ? { contentType: probe.contentType } : {}),
          });
          this.setPlan(plan);
        });
      await this.openPart(probe.contentDisposition, response.url, record);
      this.startFollowing();
      return { segment: this.segments[0]!, response: probe.size === null && !isFastAnswer(response) ? decodedBody(response) : response };
    } catch (error) {
      response.body.destroy();
      throw error;
    }
  }

  /** GET of the whole file: on the lean path when it answers simply, else through got. */
  private async openProbe(): Promise<FirstResponse> {
    const d = this.download;
    const url = new URL(d.url);
    const fast = this.deps.fast;
    if (fast && fastPathServes(url)) {
      try {
        return await fast.probe({
          url,
          headers: LEAN_HEADERS,
          idleTimeoutMs: this.deps.settings.idleTimeoutMs,
          connectTimeoutMs: this.deps.settings.connectTimeoutMs,
          signal: this.stopController.signal,
          check: (status, headers) => {
            if (status !== 200) throw statusError(status, headers);
          },
        });
      } catch (error) {
        // A redirect, chunked or encoded body: nothing was used, got asks again.
        if (!(error instanceof NotFastError)) throw error;
      }
    }
    return openWholeFile(this.deps.http, d.url, this.stopController.signal);
  }

  /**
   * Opens the `.part`; `record` commits the probe's findings with the name. A name the user chose
   * is already recorded; a name from the server is recorded as each candidate is claimed, before
   * its `.part` exists, so a kill in between never orphans a file.
   */
  private async openPart(contentDisposition: string | undefined, finalUrl: string, record: (patch: DownloadPatch) => Promise<void>): Promise<void> {
    const d = this.download;
    if (this.part) {
      // A restart: the same (emptied) file takes the new version.
      await record({});
      return;
    }
    if (d.fileName) {
      // A name chosen by the user (-o FILE): an empty FILE.part is ours from a run killed before
      // its first checkpoint; one with data that no segment claims belongs to someone else.
      const existing = await PartFile.openExisting(this.partPath());
      const existingSize = existing ? await existing.size() : 0;
      if (existing && d.fileNameFixed && !d.overwrite && existingSize > 0) {
        await existing.close();
        throw new StorageError('PART_EXISTS', `${this.partPath()} already exists and is not this download's; remove it or use --overwrite.`);
      }
      // `-o new/folder/file` makes the folder, as `-d new/folder` does.
      this.part = existing ?? (await createMakingFolder(this.partPath()));
      // Only a file with data needs emptying: on ext4 a truncate to zero makes the close flush
      // the whole file (auto_da_alloc), and the next fsync anywhere then waits for a GiB to land.
      if (existingSize > 0) await this.part.truncate(0);
      await record({});
      return;
    }
    const name = chooseFileName(contentDisposition, finalUrl, d.url);
    let recorded = false;
    const { part } = await reserveName(
      d.directory,
      name,
      (n) => this.deps.isNameTaken(d.directory, n),
      async (n) => {
        if (recorded) this.deps.update({ fileName: n });
        else await record({ fileName: n });
        recorded = true;
      },
    );
    this.part = part;
  }

  /** A partial file shorter than the progress recorded was truncated behind our back: refetch. */
  private async distrustBeyond(fileSize: number): Promise<void> {
    for (const s of this.segments) {
      const maxWritten = Math.max(0, fileSize - s.start);
      if (s.written > maxWritten) {
        s.written = s.claimed = maxWritten;
        this.dirty = true;
      }
    }
  }

  /** Starts a connection on `segment` (or on whatever it can pick); false when nothing is left. */
  private spawn(segment: TaskSegment | null, response: FirstResponse | null): boolean {
    if (this.stopped) return false;
    const worker: Worker = { controller: new AbortController(), segment: null };
    const seg = segment ?? this.pick();
    if (!seg) return false;
    seg.worker = worker;
    worker.segment = seg;
    this.liveWorkers.add(worker);
    const p = this.work(worker, seg, response).finally(() => {
      this.liveWorkers.delete(worker);
      this.workers.delete(p);
    });
    this.workers.add(p);
    return true;
  }

  /** An idle segment first; otherwise the back half of the segment with the most left. */
  private pick(): TaskSegment | null {
    const idle = this.segments.find((s) => !s.worker && !isComplete(s));
    if (idle) {
      // While a hash follows the file in order, take the next piece off the front, not all of it.
      const cut = this.follower && this.mode === 'ranges' ? splitFront(idle, this.nextPieceSize(remainingBytes(idle, idle.claimed)), this.deps.settings.minSplitSize) : null;
      if (cut !== null) {
        this.segments.push({ start: cut, end: idle.end, written: 0, claimed: 0, durable: 0, worker: null, failures: 0 });
        idle.end = cut - 1;
        this.segments.sort((a, b) => a.start - b.start);
        this.dirty = true;
      }
      return idle;
    }
    if (this.mode !== 'ranges') return null;
    const active = this.segments.filter((s) => s.worker && !isComplete(s));
    const rate = this.perConnectionRate();
    const steal = planSteal(active, minStealBytes(rate, this.ttfbMs, this.deps.settings.minSplitSize), leadBytes(rate, this.ttfbMs));
    if (!steal) return null;
    const fresh: TaskSegment = { start: steal.cut, end: steal.victim.end, written: 0, claimed: 0, durable: 0, worker: null, failures: 0 };
    steal.victim.end = steal.cut - 1;
    this.segments.push(fresh);
    this.segments.sort((a, b) => a.start - b.start);
    this.dirty = true;
    return fresh;
  }

  private async work(worker: Worker, first: TaskSegment, response: FirstResponse | null): Promise<void> {
    let seg: TaskSegment | null = first;
    let res = response;
    try {
      while (seg) {
        const done = await this.fill(worker, seg, res);
        res = null;
        seg.worker = null;
        if (!done || worker.controller.signal.aborted) return;
        // Fewer connections are as fast: this one steps out between pieces.
        if (this.liveWorkers.size > this.governor.target) return;
        seg = this.pick();
        if (seg) {
          seg.worker = worker;
          worker.segment = seg;
        }
      }
    } catch (error) {
      if (seg) seg.worker = null;
      res?.body.destroy();
      if (worker.controller.signal.aborted) return;
      const err = toFerryError(error);
      if (err instanceof RangeUnsupportedError) {
        if (this.mode === 'ranges') this.fallBackToSingleStream();
        else if (!this.segments[0]!.worker) this.spawn(this.segments[0]!, null);
        return;
      }
      if (!this.failure) this.failure = err;
      for (const w of this.liveWorkers) w.controller.abort();
    }
  }

  /** Fills one segment, retrying with backoff; false when its retries ran out. */
  private async fill(worker: Worker, seg: TaskSegment, response: FirstResponse | null): Promise<boolean> {
    const signal = worker.controller.signal;
    let res = response;
    while (!isComplete(seg)) {
      if (signal.aborted) throw new AbortedError();
      const before = seg.written;
      try {
        if (!res && !(await this.fetchFast(seg, signal))) {
          const opened = await this.open(seg, signal);
          await this.pump(opened.res, opened.offset, seg, signal);
        } else if (res) {
          const first = res;
          res = null;
          if (isFastAnswer(first)) await this.pumpFast(first, seg, signal);
          else await this.pump(first, 0, seg, signal);
        }
        if (signal.aborted) throw new AbortedError();
        if (seg.end === null) {
          // Unknown size: the body ending cleanly is the end of the file.
          seg.end = seg.start + seg.written - 1;
          this.dirty = true;
          this.deps.update({ size: seg.written });
          return true;
        }
        if (!isComplete(seg)) {
          throw new FerryError('SHORT_BODY', 'The connection closed before all bytes of the range arrived.', { retryable: true });
        }
      } catch (error) {
        res?.body.destroy();
        res = null;
        const err = toFerryError(error);
        if (signal.aborted || !err.retryable) throw err;
        if (seg.written > before) seg.failures = 0;
        seg.failures++;
        this.lastError = err;
        if (seg.failures > this.deps.settings.maxRetries) return false;
        const s = this.deps.settings;
        const retryAfterMs = (err as { retryAfterMs?: number | null }).retryAfterMs ?? null;
        await this.deps.sleep(retryDelay({ attempt: seg.failures, baseMs: s.retryBaseDelayMs, maxMs: s.retryMaxDelayMs, retryAfterMs }), signal);
      }
    }
    res?.body.destroy();
    return true;
  }

  /** The probe's body from the lean path, from byte 0; the connection's signal stops it too. */
  private async pumpFast(first: FastAnswer, seg: TaskSegment, signal: AbortSignal): Promise<void> {
    const stop = () => first.body.destroy();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await first.body.into({ segment: seg, part: this.part!, onWritten: this.onWritten });
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }

  private pump(res: OpenResponse, bodyOffset: number, seg: TaskSegment, signal: AbortSignal): Promise<void> {
    return pumpBody({
      body: res.body,
      bodyOffset,
      segment: seg,
      part: this.part!,
      idleTimeoutMs: this.deps.settings.idleTimeoutMs,
      signal,
      onWritten: this.onWritten,
    });
  }

  private readonly onWritten = (buffers: readonly Buffer[], position: number, n: number): void => {
    this.received += n;
    this.dirty = true;
    this.prefixHash?.offer(buffers, position);
    this.follower?.advance(this.inOrderBytes());
    // Only when the target rises: a connection that gave up (its retries ran out) is not replaced
    // here, or a range the server keeps failing would be asked again at every landing write.
    const before = this.governor.target;
    if (this.governor.update(performance.now(), this.received, this.liveWorkers.size) > before) this.addConnections();
  };

  /** Starts connections up to the governor's target; after the read that asked (not inside it). */
  private addConnections(): void {
    if (this.adding || this.mode !== 'ranges') return;
    this.adding = true;
    queueMicrotask(() => {
      this.adding = false;
      while (this.liveWorkers.size < this.governor.target && this.spawn(null, null));
    });
  }

  /**
   * The rest of a segment through the lean path, when it applies. False when it does not (a URL
   * with credentials, or this server's answers need got): the caller then asks through got.
   */
  private async fetchFast(seg: TaskSegment, signal: AbortSignal): Promise<boolean> {
    const d = this.download;
    const fast = this.deps.fast;
    if (!fast || !this.fastOk || this.mode !== 'ranges' || seg.end === null || d.size === null) return false;
    const url = new URL(d.finalUrl ?? d.url);
    if (!fastPathServes(url)) return false;
    const start = seg.start + seg.written;
    const end = seg.end;
    const ifRange = ifRangeValidator(d.etag, d.lastModified);
    const asked = performance.now();
    try {
      await fast.fetch({
        url,
        redirected: !!d.finalUrl && d.finalUrl !== d.url,
        start,
        end,
        headers: ifRange ? { ...LEAN_HEADERS, 'If-Range': ifRange } : LEAN_HEADERS,
        segment: seg,
        part: this.part!,
        idleTimeoutMs: this.deps.settings.idleTimeoutMs,
        connectTimeoutMs: this.deps.settings.connectTimeoutMs,
        signal,
        check: (status, headers) => {
          checkRangeResponse(status, headers, { start, end, size: d.size!, etag: d.etag, lastModified: d.lastModified, contentType: d.contentType });
          this.rangeAnswered(performance.now() - asked);
        },
        onWritten: this.onWritten,
      });
      return true;
    } catch (error) {
      if (!(error instanceof NotFastError)) throw error;
      // This server's answers are not the simple case: got takes every range from here on.
      this.fastOk = false;
      return false;
    }
  }

  /** Opens the request for the rest of a segment and checks the answer before any byte is used. */
  private async open(seg: TaskSegment, signal: AbortSignal): Promise<{ res: OpenResponse; offset: number }> {
    const d = this.download;
    if (this.mode === 'single') return { res: await openWholeFile(this.deps.http, d.url, signal, d), offset: 0 };
    const start = seg.start + seg.written;
    const asked = performance.now();
    const res = await openRange(this.deps.http, d, start, seg.end!, signal);
    this.rangeAnswered(performance.now() - asked);
    return { res, offset: start };
  }

  /** A range came back as asked (by either path): the server resumes, and its latency is known. */
  private rangeAnswered(ttfbMs: number): void {
    this.ttfbMs = this.ttfbMs === null ? ttfbMs : 0.7 * this.ttfbMs + 0.3 * ttfbMs;
    if (!this.download.resumable) this.deps.update({ resumable: true });
  }

  /** Ranges do not work here: keep the prefix from byte 0 and let one stream fetch the rest. */
  private fallBackToSingleStream(): void {
    this.mode = 'single';
    const head = this.segments[0]!;
    for (const w of this.liveWorkers) if (w.segment !== head) w.controller.abort();
    // Segments are sorted and partition the file, so the head starts at byte 0 and its bytes
    // form a prefix the single stream can keep; the rest is fetched again in order.
    head.end = this.download.size! - 1;
    this.segments = [head];
    this.planVersion++;
    this.deps.replaceSegments([{ start: 0, end: head.end, written: head.written, durable: head.durable }], this.volatileBoot());
    if (!head.worker) this.spawn(head, null);
  }

  private setPlan(plan: Segment[]): void {
    this.planVersion++;
    // A fresh plan starts writing at byte 0: hash it as it comes.
    this.prefixHash = this.deps.settings.recordSha256 || this.download.checksum ? this.newPrefixHash() : null;
    this.segments = plan.map((s) => ({ ...s, claimed: s.written, durable: 0, worker: null, failures: 0 }));
    this.deps.replaceSegments(plan.map((s) => ({ ...s, durable: 0 })), this.volatileBoot());
  }

  /** The file changed (or cannot be resumed): drop every byte and probe again. */
  private async restart(reason: string): Promise<void> {
    for (const w of this.liveWorkers) w.controller.abort();
    while (this.workers.size > 0) await Promise.race(this.workers);
    await this.checkpointing;
    await this.part?.truncate(0);
    this.prefixHash = null;
    this.follower?.close();
    this.follower = null;
    this.planVersion++;
    this.segments = [];
    this.deps.replaceSegments([], null);
    this.deps.update({ size: null, etag: null, lastModified: null, resumable: false, restartReason: reason });
    // A digest the old version's server sent says nothing about the new version.
    if (this.download.checksum?.source === 'server') this.deps.update({ checksum: null });
  }

  private async finish(): Promise<void> {
    await this.checkpointing;
    await this.part?.close();
    this.part = null;
    const d = this.download;
    if (this.alreadyInPlace) return;
    // Every byte is written: record that (a crash after the rename below then finds the file in
    // place) and the file's hash in one commit. A mismatch keeps the data and says so.
    const saveComplete = () =>
      this.deps.saveSegments(this.segments.map(({ start, end, written, durable }) => ({ start, end, written, durable })), this.volatileBoot());
    let sha256: string | null;
    try {
      sha256 = await this.verify(this.partPath());
    } catch (error) {
      saveComplete();
      throw error;
    }
    await this.deps.batch(() => {
      saveComplete();
      if (sha256) this.deps.update({ sha256 });
    });
    const fileName = await moveIntoPlace(d.directory, d.fileName!, { overwrite: d.overwrite, fixedName: d.fileNameFixed });
    if (fileName !== d.fileName) this.deps.update({ fileName });
  }

  /** Hashes the finished file: checks the expected checksum, if any, and returns its sha-256. */
  private async verify(file: string): Promise<string | null> {
    const d = this.download;
    if (!this.deps.settings.recordSha256 && !d.checksum) return null;
    // The prefix hash may predate a checksum the probe found (Content-MD5): then hash afresh.
    const covers = (algorithms: readonly ChecksumAlgorithm[] | undefined) => !!algorithms && (!d.checksum || algorithms.includes(d.checksum.algorithm));
    const follower = this.follower;
    this.follower = null;
    let hashes: Map<ChecksumAlgorithm, string> | null = null;
    if (follower && covers(follower.algorithms)) {
      // A thread that could not read the file back is no reason to fail: hash it here instead.
      hashes = await follower.finish(d.size).catch(() => null);
    } else {
      follower?.close();
    }
    if (!hashes) {
      // The prefix hash may predate a checksum the probe found (Content-MD5): then hash afresh.
      const prefix = this.prefixHash;
      hashes = await (covers(prefix?.algorithms) ? prefix! : this.newPrefixHash()).finish(file, d.size);
    }
    if (d.checksum) {
      const actual = hashes.get(d.checksum.algorithm)!;
      if (actual !== d.checksum.hex) throw new ChecksumMismatchError(d.checksum, actual);
    }
    return hashes.get('sha-256')!;
  }

  /** The boot to mark stored progress with, when it may claim bytes not yet flushed. */
  private volatileBoot(): string | null {
    return this.deps.settings.durableCheckpoints ? this.deps.bootId : null;
  }

  /** Big files are hashed on the hashing thread while they download; small ones at the end. */
  private hashesWhileDownloading(size: number | null): boolean {
    return (this.deps.settings.recordSha256 || !!this.download.checksum) && size !== null && size >= FOLLOW_MIN_SIZE;
  }

  /** Bytes a connection takes off the front of `rest` when fetching in order (piece-size.ts). */
  private nextPieceSize(rest: number): number {
    // A trial of fewer connections may start soon: let connections step out within a short piece.
    if (this.governor.shortPieces(performance.now(), this.received)) return MIN_PIECE;
    return pieceSize({ perConnectionRate: this.perConnectionRate(), ttfbMs: this.ttfbMs, rest, connections: this.governor.target });
  }

  /** Bytes per second per live connection since the start; 0 in the first 50 ms. */
  private perConnectionRate(): number {
    const elapsed = (performance.now() - this.startedAt) / 1000;
    return elapsed > 0.05 ? this.received / elapsed / Math.max(1, this.liveWorkers.size) : 0;
  }

  private startFollowing(): void {
    const d = this.download;
    if (!this.hashesWhileDownloading(d.size) || this.follower) return;
    this.prefixHash = null;
    this.follower = new HashFollower(this.partPath(), this.hashAlgorithms());
    this.follower.advance(this.inOrderBytes());
  }

  /** Bytes on disk in order from byte 0: the next byte a hash of the file needs. */
  private inOrderBytes(): number {
    let n = 0;
    for (const s of this.segments) {
      if (s.start !== n) break;
      n += s.written;
      if (s.end === null || s.start + s.written <= s.end) break;
    }
    return n;
  }

  private hashAlgorithms(): ChecksumAlgorithm[] {
    const algorithms = this.download.checksum ? ['sha-256', this.download.checksum.algorithm] : ['sha-256'];
    return [...new Set(algorithms)] as ChecksumAlgorithm[];
  }

  private newPrefixHash(): PrefixHash {
    return new PrefixHash(this.hashAlgorithms());
  }

  private partPath(): string {
    return partPath(this.download.directory, this.download.fileName!);
  }

  private async withRetries<T>(fn: () => Promise<T>): Promise<T> {
    const s = this.deps.settings;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const err = toFerryError(error);
        if (!err.retryable || attempt > s.maxRetries || this.stopped) throw err;
        const retryAfterMs = (err as { retryAfterMs?: number | null }).retryAfterMs ?? null;
        await this.deps.sleep(retryDelay({ attempt, baseMs: s.retryBaseDelayMs, maxMs: s.retryMaxDelayMs, retryAfterMs }), this.stopController.signal);
      }
    }
  }
}

async function sizeOf(p: string): Promise<number | null> {
  try {
    return (await fs.stat(p)).size;
  } catch {
    return null;
  }
}

function isComplete(s: { start: number; end: number | null; written: number }): boolean {
  return s.end !== null && s.written >= s.end - s.start + 1;
}

export function finalPath(d: Download): string | null {
  return d.fileName ? path.join(d.directory, d.fileName) : null;
}

/** What every request on the lean path sends, as got's requests do. */
const LEAN_HEADERS: Readonly<Record<string, string>> = { 'User-Agent': USER_AGENT, 'Accept-Encoding': 'identity' };

/** The probe's answer: through got (a stream) or the lean path (a body waiting for its file). */
type FirstResponse = OpenResponse | FastAnswer;

function isFastAnswer(r: FirstResponse): r is FastAnswer {
  return 'into' in r.body;
}
