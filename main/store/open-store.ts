// Opening the store at start-up. A damaged database is moved aside under a dated name (never
// deleted, never overwritten) and Ferry starts on a fresh one, saying so; a database written by
// a newer Ferry is refused untouched, since moving it aside would lose that version's queue.
import fs from 'node:fs';
import { DatabaseError } from './database.js';
import { createStore, type Store } from './store.js';

export interface OpenedStore {
  store: Store;
  /** A sentence for the user when the old database had to be set aside. */
  notice: string | null;
}

export function openStoreRecovering(file: string, now: () => Date = () => new Date()): OpenedStore {
  try {
    return { store: createStore(file), notice: null };
  } catch (error) {
    if (!(error instanceof DatabaseError) || error.code !== 'DB_CORRUPT') throw error;
    const kept = setAside(file, now());
    return {
      store: createStore(file),
      notice: `The download list at ${file} was damaged and could not be read. It was kept as ${kept}, and Ferry started with an empty list.`,
    };
  }
}

/** Renames the database and its WAL/SHM companions to `<file>.corrupt-<timestamp>[-n]`. */
function setAside(file: string, when: Date): string {
  const stamp = when.toISOString().replace(/[:.]/g, '-');
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 1; fs.existsSync(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
  fs.renameSync(file, target);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  }
  return target;
}
