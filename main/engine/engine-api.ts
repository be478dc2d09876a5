// The engine's public surface: what the CLI, the IPC router and the tests call. Type-only.
import type { AddOptions, DownloadSnapshot, EngineSettings } from './model.js';

export interface ProgressBatch {
  /** Snapshots of every download that changed since the last batch (status or bytes). */
  updated: DownloadSnapshot[];
  /** Ids removed since the last batch. */
  removed: number[];
}

export interface EngineEvents {
  /** Batched, at most once per `progressIntervalMs`, all changed downloads in one message. */
  progress: (batch: ProgressBatch) => void;
  /** A download reached `completed`, `failed` or `canceled` (for notifications, the CLI's exit). */
  finished: (download: DownloadSnapshot) => void;
}

export interface RemoveOptions {
  /** Also delete the file (the completed file or the partial one). */
  deleteFile?: boolean;
}

export interface Engine {
  /** Loads the queue from the store; what was running resumes, what was paused stays paused. */
  start(): void;
  /** Adds a download (validated: http/https only). Starts when the queue has room. */
  add(options: AddOptions): DownloadSnapshot;
  /** Brings an existing download under this engine (the CLI's "same command again"). */
  attach(id: number): DownloadSnapshot;
  pause(id: number): Promise<void>;
  resume(id: number): void;
  cancel(id: number): Promise<void>;
  remove(id: number, options?: RemoveOptions): Promise<void>;
  retry(id: number): void;
  /** Moves a download to a new place in the queue (0 = first). */
  move(id: number, toIndex: number): void;
  pauseAll(): Promise<void>;
  resumeAll(): void;
  get(id: number): DownloadSnapshot;
  list(): DownloadSnapshot[];
  settings(): EngineSettings;
  updateSettings(patch: Partial<EngineSettings>): EngineSettings;
  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): () => void;
  /** Stops every transfer and checkpoints; statuses stay as they are so the next start resumes. */
  close(): Promise<void>;
}
