// A real engine on a temp SQLite file, for the glue tests: the tray and notifications must reach
// the engine itself, not a stand-in.
import path from 'node:path';
import { createEngine } from '../../main/engine/engine.js';
import type { Engine } from '../../main/engine/engine-api.js';
import type { EngineSettings } from '../../main/engine/model.js';
import { createStore, type Store } from '../../main/store/store.js';
import { makeTempDir } from '../helpers/files.js';

export interface EngineFixture {
  dir: string;
  store: Store;
  engine: Engine;
  close(): Promise<void>;
}

export async function startEngine(settings: Partial<EngineSettings> = {}): Promise<EngineFixture> {
  const dir = await makeTempDir('ferry-app-');
  const store = createStore(path.join(dir, 'ferry.db'));
  const engine = createEngine({ store, settings: { durableCheckpoints: false, retryBaseDelayMs: 10, retryMaxDelayMs: 50, maxRetries: 1, ...settings } });
  engine.start();
  return {
    dir,
    store,
    engine,
    async close() {
      await engine.close();
      store.close();
    },
  };
}
