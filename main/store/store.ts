// The store: one SQLite database holding downloads, segments and settings.
import { openDatabase, type Db } from './database.js';
import { createDownloadsRepo } from './downloads-repo.js';
import { createSegmentsRepo } from './segments-repo.js';
import { createSettingsRepo } from './settings-repo.js';

export function createStore(file: string, now: () => number = Date.now) {
  const db: Db = openDatabase(file);
  return {
    db,
    file,
    downloads: createDownloadsRepo(db, now),
    segments: createSegmentsRepo(db),
    settings: createSettingsRepo(db),
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Store = ReturnType<typeof createStore>;
