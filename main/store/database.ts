// Opens the SQLite database: WAL so readers never block the engine's checkpoints, foreign keys on,
// migrations by `user_version`. A database written by a newer Ferry, or one that is not a database
// at all, is refused with a typed error instead of being modified.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FerryError } from '../engine/errors.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export class DatabaseError extends FerryError {
  constructor(code: 'DB_TOO_NEW' | 'DB_CORRUPT' | 'DB_OPEN_FAILED', message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}

export function openDatabase(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new DatabaseError('DB_OPEN_FAILED', `Could not open the database at ${file}: ${(error as Error).message}`, error);
  }
  try {
    // Before anything writes (switching to WAL rewrites the header): refuse a newer schema untouched.
    refuseNewer(db, file);
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives an application crash; only a power cut can lose the last commit.
    db.pragma('synchronous = NORMAL');
    // A checkpoint syncs both files on the committing (main) thread: 12-17 ms each here. The default
    // 1000-page threshold meant one every ~330 commits of a many-small-files run; 8192 pages (32 MiB of
    // WAL at most) makes them rare, and the size limit gives the space back after each one.
    db.pragma('wal_autocheckpoint = 8192');
    db.pragma('journal_size_limit = 8388608');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Damage past the header only shows when its pages are read: check them all once at open.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    migrate(db, file);
  } catch (error) {
    db.close();
    if (error instanceof FerryError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new DatabaseError('DB_CORRUPT', `The database at ${file} is damaged or is not a Ferry database.`, error);
    }
    throw new DatabaseError('DB_OPEN_FAILED', `Could not open the database at ${file}: ${(error as Error).message}`, error);
  }
  return db;
}

function refuseNewer(db: Db, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new DatabaseError(
      'DB_TOO_NEW',
      `The database at ${file} was written by a newer version of Ferry (schema ${current}, this one knows ${LATEST_VERSION}); update Ferry to use it.`,
    );
  }
}

function migrate(db: Db, file: string): void {
  refuseNewer(db, file);
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
