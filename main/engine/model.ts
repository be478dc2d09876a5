// The engine's data model: what a download is, its segments, and the statuses it moves through.
// Shared (type-only) with the IPC contract and the renderer, so it imports nothing at run time.

export type ChecksumAlgorithm = 'sha-256' | 'sha-512' | 'sha-1' | 'md5';

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** Lower-case hex. */
  hex: string;
  source: 'user' | 'server';
}

export type DownloadStatus =
  | 'queued'
  | 'probing'
  | 'downloading'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'canceled';

export interface ErrorInfo {
  /** Stable machine-readable code, e.g. `HTTP_NOT_FOUND`. */
  code: string;
  /** One sentence a person understands. */
  message: string;
}

/** A byte range of the file. `end` is inclusive (as in HTTP ranges); null while the size is unknown. */
export interface Segment {
  start: number;
  end: number | null;
  /** Bytes `[start, start + written)` are on disk. */
  written: number;
}

/** A segment with how much of it is known to be on stable storage (not only in the page cache). */
export interface ProgressSegment extends Segment {
  durable: number;
}

export interface Download {
  id: number;
  url: string;
  /** The URL after redirects, once probed. */
  finalUrl: string | null;
  directory: string;
  /** Null until the probe names the file (unless the user chose a name). */
  fileName: string | null;
  /** The user chose the name (`-o FILE`); the server's name is not used. */
  fileNameFixed: boolean;
  /** Replace an existing file at the target instead of picking `name (1).ext`. */
  overwrite: boolean;
  size: number | null;
  etag: string | null;
  lastModified: string | null;
  /** The server honours byte ranges for this file (verified by a 206, not just advertised). */
  resumable: boolean;
  status: DownloadStatus;
  position: number;
  connections: number;
  error: ErrorInfo | null;
  /** Why the download last started over from byte 0 (the file changed on the server, ...). */
  restartReason: string | null;
  /** The Content-Type of the first probe: a later HTML page in its place is an error page. */
  contentType: string | null;
  /** The checksum the file must match before it gets its final name. */
  checksum: Checksum | null;
  /** Hex sha-256 of the completed file, so a later check can tell whether it was changed. */
  sha256: string | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export type ConnectionTrial = 'trying' | 'fewer' | null;

/** What the UI and CLI see of a download: the record plus live figures. */
export interface DownloadSnapshot extends Download {
  downloaded: number;
  /** Bytes per second over the last few seconds; 0 when idle. */
  speed: number;
  /** Seconds left at the current speed, null when unknown. */
  eta: number | null;
  activeConnections: number;
  /**
   * Fewer connections than allowed, on purpose: 'trying' two for a moment, or keeping to two
   * because they were as fast as all (connection-governor.ts); null otherwise.
   */
  connectionTrial: ConnectionTrial;
  segments: SegmentSnapshot[];
}

export interface SegmentSnapshot extends Segment {
  /** A connection is fetching this segment right now. */
  active: boolean;
}

export interface AddOptions {
  url: string;
  directory: string;
  /** A name chosen by the user; otherwise the server's name or the URL's. */
  fileName?: string;
  overwrite?: boolean;
  connections?: number;
  /** Start paused instead of queued. */
  paused?: boolean;
  /** `ALGORITHM=HEX` (sha-256, sha-512, sha-1, md5) the finished file must match. */
  checksum?: string;
}

export interface EngineSettings {
  maxConcurrent: number;
  connections: number;
  /** Segments are never split below this many bytes. */
  minSplitSize: number;
  /** Attempts per segment before its connection gives up. */
  maxRetries: number;
  /** Base of the exponential backoff, in ms. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  connectTimeoutMs: number;
  /** A connection that receives nothing for this long is dropped and retried. */
  idleTimeoutMs: number;
  /** Bounded interval between checkpoints of segment progress. */
  checkpointIntervalMs: number;
  /** Interval between batched progress events. */
  progressIntervalMs: number;
  /**
   * Survive a power cut: flush file data to stable storage every `durableIntervalMs` and when a
   * download stops; in between, checkpoints claim bytes in the page cache (safe from a killed
   * process) and a later boot falls back to the last flushed progress.
   */
  durableCheckpoints: boolean;
  durableIntervalMs: number;
  /** How often a download paused by a full disk checks whether there is room again. */
  spaceCheckIntervalMs: number;
  /** Hash every finished file and keep its sha-256 (a checksum to verify is always hashed). */
  recordSha256: boolean;
  /** http(s) answers that are simple 200s and 206s skip got and the HTTP parser (fast-range.ts). */
  fastPath: boolean;
  /**
   * Bytes per second from which a download tries two connections for a moment and keeps to them
   * when they are as fast as all of them (connection-governor.ts); 0: always use every connection.
   */
  connectionTrialAbove: number;
}

export const DEFAULT_SETTINGS: EngineSettings = {
  maxConcurrent: 3,
  connections: 8,
  minSplitSize: 1024 * 1024,
  maxRetries: 8,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 30_000,
  connectTimeoutMs: 15_000,
  idleTimeoutMs: 20_000,
  checkpointIntervalMs: 500,
  progressIntervalMs: 100,
  durableCheckpoints: true,
  durableIntervalMs: 15_000,
  spaceCheckIntervalMs: 2000,
  recordSha256: true,
  fastPath: true,
  connectionTrialAbove: 200 * 1024 * 1024,
};

export const MIN_CONNECTIONS = 1;
export const MAX_CONNECTIONS = 32;
