// An engine on a temp SQLite file and a temp download folder, with settings tuned for tests
// (short backoff and idle timeouts, frequent checkpoints), and a way to wait for outcomes.
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type EngineDeps } from '../../main/engine/engine.js';
import type { Engine } from '../../main/engine/engine-api.js';
import type { AddOptions, DownloadSnapshot, EngineSettings } from '../../main/engine/model.js';
import { createStore, type Store } from '../../main/store/store.js';
import { afterEach, beforeEach } from 'vitest';
import { startFaultServer, type FaultServer } from './fault-server.js';
import { makeTempDir, removeTempDirs } from './files.js';

export const FAST_SETTINGS: Partial<EngineSettings> = {
  retryBaseDelayMs: 20,
  retryMaxDelayMs: 200,
  idleTimeoutMs: 1000,
  connectTimeoutMs: 2000,
  checkpointIntervalMs: 100,
  progressIntervalMs: 50,
  minSplitSize: 64 * 1024,
  durableCheckpoints: false,
};

export interface Harness {
  dir: string;
  dbPath: string;
  store: Store;
  engine: Engine;
  /** Adds a download into `dir` and resolves with its snapshot once completed or failed. */
  download(url: string, options?: Partial<AddOptions>): Promise<DownloadSnapshot>;
  /** Resolves once download `id` is completed or failed. */
  finished(id: number, timeoutMs?: number): Promise<DownloadSnapshot>;
  /** Closes engine and store and opens new ones on the same files: a restart of the app. */
  restart(settings?: Partial<EngineSettings>): Promise<void>;
  pathOf(s: DownloadSnapshot): string;
  /** Files in the download folder, without the database. */
  files(): string[];
  close(): Promise<void>;
}

export async function createHarness(settings: Partial<EngineSettings> = {}, deps: Partial<EngineDeps> = {}): Promise<Harness> {
  const dir = await makeTempDir('ferry-engine-');
  const dbDir = await makeTempDir('ferry-db-');
  const dbPath = path.join(dbDir, 'ferry.db');
  const open = (s: Partial<EngineSettings>) => {
    const store = createStore(dbPath);
    const engine = createEngine({ store, settings: { ...FAST_SETTINGS, ...s }, ...deps });
    return { store, engine };
  };
  let current = open(settings);

  const h: Harness = {
    dir,
    dbPath,
    get store() {
      return current.store;
    },
    get engine() {
      return current.engine;
    },
    async download(url, options = {}) {
      const s = current.engine.add({ url, directory: dir, ...options });
      return h.finished(s.id);
    },
    finished(id, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const s = current.engine.get(id);
          if (s.status === 'completed' || s.status === 'failed') {
            clearInterval(timer);
            clearTimeout(limit);
            resolve(s);
          }
        };
        const timer = setInterval(check, 10);
        const limit = setTimeout(() => {
          clearInterval(timer);
          reject(new Error(`download ${id} did not finish within ${timeoutMs} ms: ${JSON.stringify(current.engine.get(id))}`));
        }, timeoutMs);
        check();
      });
    },
    async restart(s = settings) {
      await current.engine.close();
      current.store.close();
      current = open(s);
      current.engine.start();
    },
    pathOf(s) {
      return path.join(s.directory, s.fileName!);
    },
    files() {
      return fs.readdirSync(dir).sort();
    },
    async close() {
      await current.engine.close();
      current.store.close();
    },
  };
  return h;
}

/**
 * The hooks most engine suites share: a fresh fault server and harness (with `settings`) for each
 * test, closed and their temp folders removed after it. `onEach` receives them.
 */
export function useEngineSandbox(settings: Partial<EngineSettings>, onEach: (sandbox: { server: FaultServer; h: Harness }) => void): void {
  let server: FaultServer;
  let h: Harness;
  beforeEach(async () => {
    server = await startFaultServer();
    h = await createHarness(settings);
    onEach({ server, h });
  });
  afterEach(async () => {
    await h.close();
    await server.close();
    await removeTempDirs();
  });
}
