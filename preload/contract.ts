// The IPC contract, written once: every method the renderer may call, the channel it travels
// on, and its request and response types; plus the events main sends. Type-only: main's router
// and the preload are both typed from this file. The renderer passes ids, never paths.
import type { ProgressBatch } from '../main/engine/engine-api.js';
import type { DownloadSnapshot, ErrorInfo } from '../main/engine/model.js';

export type { DownloadSnapshot, ErrorInfo, ProgressBatch };

/** Every response crosses the bridge in this envelope; errors carry a stable code and a sentence. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export type Theme = 'system' | 'light' | 'dark';
export type DropAction = 'ask' | 'add';

export interface AppSettings {
  /** Shown to the user; changed only through the folder picker in main. */
  downloadDirectory: string;
  maxConcurrent: number;
  connections: number;
  /**
   * A fast download tries two connections and keeps to them when they are as fast as all of them
   * (the engine's connection trial); off: every download keeps all its connections busy.
   */
  adaptiveConnections: boolean;
  /** What dropping or pasting links does: open the Add dialog, or add straight away. */
  dropAction: DropAction;
  /** Closing the window keeps downloads running in the tray. */
  keepRunningInTray: boolean;
  notifications: boolean;
  theme: Theme;
}

/** A folder main knows (the default, or one picked in a dialog), referred to by id. */
export interface FolderChoice {
  folderId: string;
  /** For display only. */
  path: string;
}

export interface AddRequest {
  urls: string[];
  /** From `pickFolder`; the default download folder when absent. */
  folderId?: string;
  connections?: number;
  /** Only with a single URL. */
  fileName?: string;
  /** `ALGORITHM=HEX` (sha-256, sha-512, sha-1, md5) the file must match; only with a single URL. */
  checksum?: string;
  paused?: boolean;
}

export interface AddResponse {
  added: DownloadSnapshot[];
  /** URLs refused (not http/https, malformed), each with the reason. */
  rejected: { url: string; error: ErrorInfo }[];
}

export interface Ids {
  ids: number[];
}

export interface Contract {
  list: { channel: 'downloads:list'; request: void; response: DownloadSnapshot[] };
  details: { channel: 'downloads:details'; request: { id: number }; response: DownloadSnapshot };
  add: { channel: 'downloads:add'; request: AddRequest; response: AddResponse };
  pause: { channel: 'downloads:pause'; request: Ids; response: void };
  resume: { channel: 'downloads:resume'; request: Ids; response: void };
  cancel: { channel: 'downloads:cancel'; request: Ids; response: void };
  remove: { channel: 'downloads:remove'; request: Ids & { deleteFile: boolean }; response: void };
  retry: { channel: 'downloads:retry'; request: Ids; response: void };
  move: { channel: 'downloads:move'; request: { id: number; toIndex: number }; response: void };
  pauseAll: { channel: 'downloads:pauseAll'; request: void; response: void };
  resumeAll: { channel: 'downloads:resumeAll'; request: void; response: void };
  openFile: { channel: 'downloads:openFile'; request: { id: number }; response: void };
  showInFolder: { channel: 'downloads:showInFolder'; request: { id: number }; response: void };
  getSettings: { channel: 'settings:get'; request: void; response: AppSettings };
  updateSettings: {
    channel: 'settings:update';
    request: Partial<Omit<AppSettings, 'downloadDirectory'>>;
    response: AppSettings;
  };
  /** Opens the OS folder picker and makes the choice the default download folder. */
  pickDownloadFolder: { channel: 'settings:pickDownloadFolder'; request: void; response: AppSettings };
  /** Opens the OS folder picker for one Add; null when the user canceled. */
  pickFolder: { channel: 'folders:pick'; request: void; response: FolderChoice | null };
  defaultFolder: { channel: 'folders:default'; request: void; response: FolderChoice };
}

export type Method = keyof Contract;
export type Channel = Contract[Method]['channel'];
export type Request<M extends Method> = Contract[M]['request'];
export type Response<M extends Method> = Contract[M]['response'];

/** Events main sends to the window. */
export interface Events {
  /** Batched: all changed downloads in one message, at most about 10 a second. */
  progress: { channel: 'downloads:progress'; payload: ProgressBatch };
  /** URLs from a second launch, the tray or the OS: open the Add dialog with them. */
  addUrls: { channel: 'app:addUrls'; payload: { urls: string[] } };
}

export type EventName = keyof Events;

/** What `window.ferry` is: one function per method, one subscription per event. */
export type FerryApi = {
  [M in Method]: Request<M> extends void ? () => Promise<Result<Response<M>>> : (request: Request<M>) => Promise<Result<Response<M>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]['payload']) => void): () => void;
};
