// The store: one SQLite database holding downloads, segments and settings.
import { openDatabase, type Db } from './database.js';
import { createDownloadsRepo } from './downloads-repo.js';
import { createSegmentsRepo } from './segments-repo.js';
import { createSettingsRepo } from './settings-repo.js';
import { GroupCommit } from './group-commit.js';

export function createStore(file: string, now: () => number = Date.now) {
  const db: Db = openDatabase(file);
  // One wrapper for every call: better-sqlite3 builds four closures per `db.transaction(fn)`, which
  // cost more than the commit itself. Nested calls still get a savepoint from the wrapper.
  const inTransaction = db.transaction(<T>(fn: () => T): T => fn());
  const transaction = <T>(fn: () => T): T => inTransaction(fn) as T;
  const group = new GroupCommit(transaction);
  return {
    db,
    file,
    downloads: createDownloadsRepo(db, now),
    segments: createSegmentsRepo(db),
    settings: createSettingsRepo(db),
    transaction,
    /** As `transaction`, but shares one commit with the others asked for in this turn (group-commit.ts). */
    commitSoon<T>(fn: () => T): Promise<T> {
      return group.run(fn);
    },
    close(): void {
      if (!db.open) return;
      group.flush();
      db.close();
    },
  };
}

export type Store = ReturnType<typeof createStore>;
