// The store: one SQLite database holding downloads, segments and settings.
import { openDatabase, type Db } from './database.js';
import { createDownloadsRepo } from './downloads-repo.js';
import { createSegmentsRepo } from './segments-repo.js';
import { createSettingsRepo } from './settings-repo.js';

export function createStore(file: string, now: () => number = Date.now) {
  const db: Db = openDatabase(file);
  // One wrapper for every call: better-sqlite3 builds four closures per `db.transaction(fn)`, which
  // cost more than the commit itself. Nested calls still get a savepoint from the wrapper.
  const inTransaction = db.transaction(<T>(fn: () => T): T => fn());
  return {
    db,
    file,
    downloads: createDownloadsRepo(db, now),
    segments: createSegmentsRepo(db),
    settings: createSettingsRepo(db),
    transaction<T>(fn: () => T): T {
      return inTransaction(fn) as T;
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

export type Store = ReturnType<typeof createStore>;
