// The IPC router: contract channel → validated payload → engine call → `Result` envelope. It has
// no electron import, so Electron's ipcMain (main/app) and the browser tests (Playwright bindings)
// drive the very same code. Nothing thrown inside ever crosses the boundary: every outcome is a
// Result, and every event goes out through `subscribe`.
import type { Engine } from '../engine/engine-api.js';
import type { Store } from '../store/store.js';
import { EVENT_CHANNELS, METHOD_CHANNELS, METHODS } from '../../preload/channels.js';
import type { EventName, Events, Method, Result } from '../../preload/contract.js';
import { createAppSettings, type AppSettingsService } from './app-settings.js';
import { clip, fail, ok, toErrorInfo } from './errors.js';
import { createFolderRegistry, type FolderRegistry } from './folders.js';
import type { Handler, HandlerContext, ShellPort } from './handler.js';
import { HANDLERS } from './handlers/index.js';
import { createProgressBatcher } from './progress-batcher.js';
import { redactBatch } from './redact.js';
import { describeIssues } from './schemas.js';
import { fileSenderOnly, type Sender, type SenderCheck } from './sender.js';

export interface RouterDeps {
  engine: Engine;
  store: Store;
  /** The OS downloads folder: the download folder until the user picks another. */
  downloadsDir: string;
  shell: ShellPort;
  /** Built from `store`, `engine` and `downloadsDir` when absent. */
  appSettings?: AppSettingsService;
  folders?: FolderRegistry;
  /** Applied when `handle` is given a sender; default: file:// pages only. */
  isTrustedSender?: SenderCheck;
  /** Minimum time between progress messages; default 100 ms (about 10 a second). */
  progressIntervalMs?: number;
}

export type EventChannel = Events[EventName]['channel'];
export type RouterListener = (channel: EventChannel, payload: unknown) => void;

export interface Router {
  handle(channel: string, payload: unknown, sender?: Sender): Promise<Result<unknown>>;
  /** Events for the window (progress, batched; addUrls). Returns the unsubscribe function. */
  subscribe(listener: RouterListener): () => void;
  /** Sends an event to every subscriber (main uses it for URLs from a second launch). */
  emit<E extends EventName>(event: E, payload: Events[E]['payload']): void;
  close(): void;
}

const BY_CHANNEL = new Map<string, Method>(METHODS.map((m) => [METHOD_CHANNELS[m], m]));

export function createRouter(deps: RouterDeps): Router {
  const { engine, shell } = deps;
  const appSettings = deps.appSettings ?? createAppSettings({ store: deps.store, engine, defaultDirectory: deps.downloadsDir });
  const folders = deps.folders ?? createFolderRegistry(() => appSettings.downloadDirectory());
  const isTrusted = deps.isTrustedSender ?? fileSenderOnly;
  const ctx: HandlerContext = { engine, appSettings, folders, shell };
  const listeners = new Set<RouterListener>();
  let closed = false;

  function emit<E extends EventName>(event: E, payload: Events[E]['payload']): void {
    const channel = EVENT_CHANNELS[event];
    for (const listener of listeners) {
      try {
        listener(channel, payload);
      } catch (error) {
        // One broken window (destroyed webContents) must not starve the others of progress.
        console.error('ferry: an IPC event listener failed:', error);
      }
    }
  }

  const batcher = createProgressBatcher(deps.progressIntervalMs ?? 100, (batch) => emit('progress', batch));
  const stopProgress = engine.on('progress', (batch) => batcher.push(redactBatch(batch)));

  async function handle(channel: string, payload: unknown, sender?: Sender): Promise<Result<unknown>> {
    try {
      if (closed) return fail('APP_CLOSING', 'Ferry is shutting down.');
      if (sender !== undefined && !isTrustedSenderSafe(sender)) {
        return fail('UNTRUSTED_SENDER', 'This page is not allowed to control Ferry.');
      }
      const method = typeof channel === 'string' ? BY_CHANNEL.get(channel) : undefined;
      if (!method) return fail('UNKNOWN_CHANNEL', `There is no IPC channel named "${clip(String(channel), 80)}".`);
      const handler = HANDLERS[method] as Handler<Method>;
      const parsed = handler.schema.safeParse(payload);
      if (!parsed.success) return fail('INVALID_PAYLOAD', describeIssues(parsed.error));
      const value = await handler.run(parsed.data, ctx);
      return ok(value);
    } catch (error) {
      return { ok: false, error: toErrorInfo(error) };
    }
  }

  function isTrustedSenderSafe(sender: Sender): boolean {
    try {
      return typeof sender?.url === 'string' && isTrusted(sender);
    } catch {
      return false;
    }
  }

  return {
    handle,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(event, payload) {
      if (!closed) emit(event, payload);
    },
    close() {
      closed = true;
      stopProgress();
      batcher.close();
      listeners.clear();
    },
  };
}
