// A router over the real thing: a real engine on a temp SQLite file, downloading from a real
// loopback server. Only the OS shell (open file, folder picker) is a recorder, because there is no
// desktop to open files on in CI; the picker answers whatever the test queued.
import path from 'node:path';
import { createEngine } from '../../main/engine/engine.js';
import type { Engine } from '../../main/engine/engine-api.js';
import type { EngineSettings } from '../../main/engine/model.js';
import { createRouter, type Router, type RouterDeps } from '../../main/ipc/index.js';
import type { ShellPort } from '../../main/ipc/index.js';
import { createStore, type Store } from '../../main/store/store.js';
import { makeTempDir } from '../helpers/files.js';

export interface RecordingShell extends ShellPort {
  calls: { op: 'openPath' | 'showItemInFolder' | 'pickFolder'; path?: string }[];
  /** Answers for the next pickFolder calls, in order; null = the user canceled. */
  picks: (string | null)[];
}

export function recordingShell(): RecordingShell {
  const shell: RecordingShell = {
    calls: [],
    picks: [],
    async openPath(p) {
      shell.calls.push({ op: 'openPath', path: p });
    },
    showItemInFolder(p) {
      shell.calls.push({ op: 'showItemInFolder', path: p });
    },
    async pickFolder() {
      shell.calls.push({ op: 'pickFolder' });
      return shell.picks.shift() ?? null;
    },
  };
  return shell;
}

export interface Harness {
  dir: string;
  downloadsDir: string;
  store: Store;
  engine: Engine;
  router: Router;
  shell: RecordingShell;
  /** Calls the router and unwraps a successful value, failing the test with the error otherwise. */
  call<T = unknown>(channel: string, payload?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  engine?: Partial<EngineSettings>;
  router?: Partial<Pick<RouterDeps, 'isTrustedSender' | 'progressIntervalMs'>>;
  /** Reuse a folder (to reopen the same database). */
  dir?: string;
}

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = opts.dir ?? (await makeTempDir('ferry-ipc-'));
  const downloadsDir = path.join(dir, 'Downloads');
  const store = createStore(path.join(dir, 'ferry.db'));
  // Fast retries and no fsync: these tests are about the router, not about power-loss safety.
  const engine = createEngine({
    store,
    settings: { durableCheckpoints: false, retryBaseDelayMs: 10, retryMaxDelayMs: 50, ...opts.engine },
  });
  engine.start();
  const shell = recordingShell();
  const router = createRouter({ engine, store, downloadsDir, shell, ...opts.router });
  return {
    dir,
    downloadsDir,
    store,
    engine,
    router,
    shell,
    async call<T>(channel: string, payload?: unknown): Promise<T> {
      const result = await router.handle(channel, payload);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
      return result.value as T;
    },
    async close() {
      router.close();
      await engine.close();
      store.close();
    },
  };
}
