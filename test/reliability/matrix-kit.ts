// The vocabulary of the fault matrix: a row is one way a server misbehaves, run through the real
// engine, with the outcomes a user may accept. The runner (fault-matrix.test.ts) turns what
// happened into an `Actual`, asserts it against the row, and records it for docs/reliability.md.
import type { DownloadSnapshot, EngineSettings } from '../../main/engine/model.js';
import type { Harness } from '../helpers/engine-harness.js';
import type { FaultServer } from '../helpers/fault-server.js';
import type { RawServer } from '../helpers/raw-server.js';
import type { RedirectServer } from '../helpers/redirect-server.js';
import { waitFor } from '../helpers/wait.js';

export const KiB = 1024;
export const MiB = 1024 * 1024;

/** The servers every row shares; each row works under its own path prefix (`base`). */
export interface Ctx {
  h: Harness;
  fault: FaultServer;
  /** The fault server over https, with the certificate the harness trusts. */
  tls: FaultServer;
  raw: RawServer;
  redirects: RedirectServer;
  /** `/m07`: unique per row, so request logs and byte counters never mix rows. */
  base: string;
}

/** The versions of the file a row served: `source` always, `changed` when it changed on the server. */
export type VersionKey = 'source' | 'changed';

export interface RowRun {
  snapshot: DownloadSnapshot;
  versions: Partial<Record<VersionKey, Buffer>> & { source: Buffer };
  /** Requests the download cost, from the servers' logs (redirect hops included). */
  requests: number;
  /** File bytes sent in more than one response; null where the server cannot tell. */
  bytesTwice: number | null;
  /** Milliseconds from add to the final status. */
  elapsedMs: number;
  /** Rows run through the `ferry` CLI: its exit code. */
  exitCode?: number | null;
}

/** What happened, as the runner sees it after the download ended. */
export interface Actual {
  status: DownloadSnapshot['status'];
  errorCode: string | null;
  /** Which served version the completed file equals; null when it equals none (or none is there). */
  version: VersionKey | null;
  /** The completed file's bytes (files here are small); null when the download did not complete. */
  bytes: Buffer | null;
  /** Files in the download folder that are not `.part` files: what a user would take as done. */
  finalFiles: string[];
}

export type Outcome =
  /** Completed, and the file's sha-256 equals that version's. */
  | { kind: 'sha'; version: VersionKey }
  /** Failed with exactly this code, and no final file in the folder. */
  | { kind: 'error'; code: string }
  /**
   * A limit of HTTP, not a bug: what the engine does when the protocol gives it no way to tell.
   * `label` is shown in the report; `matches` decides whether the actual outcome is this one.
   */
  | { kind: 'limit'; label: string; matches(actual: Actual, run: RowRun): boolean };

export interface Row {
  group: string;
  scenario: string;
  /** Acceptable outcomes, the ideal one first; a `limit` is accepted but reported as one. */
  expect: Outcome[];
  notes: string;
  /** On top of the harness's fast test settings. */
  settings?: Partial<EngineSettings>;
  run(ctx: Ctx): Promise<RowRun>;
  /** Row-specific assertions on top of the outcome (names, request counts, timing). */
  check?(run: RowRun, ctx: Ctx, actual: Actual): void | Promise<void>;
}

export const sha = (version: VersionKey = 'source'): Outcome => ({ kind: 'sha', version });
export const error = (code: string): Outcome => ({ kind: 'error', code });

/** Adds a download and waits for its final status, timing it. */
export async function download(
  ctx: Ctx,
  url: string,
  options: { connections?: number } = {},
): Promise<{ snapshot: DownloadSnapshot; elapsedMs: number }> {
  const started = Date.now();
  const snapshot = await ctx.h.download(url, { connections: options.connections ?? 4 });
  return { snapshot, elapsedMs: Date.now() - started };
}

/** Adds a download, pauses it once `bytes` are on disk, and returns its id. */
export async function addAndPauseAfter(ctx: Ctx, url: string, bytes: number, connections = 4): Promise<number> {
  const { id } = ctx.h.engine.add({ url, directory: ctx.h.dir, connections });
  await waitFor(() => ctx.h.engine.get(id).downloaded >= bytes, 15_000, `${bytes} bytes of download ${id}`);
  await ctx.h.engine.pause(id);
  return id;
}

/** Resumes a paused download and waits for its final status. */
export async function resumeAndFinish(ctx: Ctx, id: number): Promise<DownloadSnapshot> {
  ctx.h.engine.resume(id);
  return ctx.h.finished(id, 30_000);
}

/** Bytes on disk per the stored segments (what a resume continues from). */
export function storedBytes(ctx: Ctx, id: number): number {
  return ctx.h.store.segments.list(id).reduce((n, s) => n + s.written, 0);
}
