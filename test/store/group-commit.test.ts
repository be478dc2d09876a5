// Group commit on a real SQLite file: what several downloads ask for in one turn is one commit, each
// caller learns of its own work only once it is on disk, and one caller's failure undoes nothing
// of the others'. A second connection watches, as another Ferry process would.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../main/store/store.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';

afterEach(removeTempDirs);

async function storeWithDownloads(count: number): Promise<{ store: Store; file: string; ids: number[] }> {
  const file = path.join(await makeTempDir('ferry-group-'), 'ferry.db');
  const store = createStore(file);
  const ids = Array.from({ length: count }, (_, i) =>
    store.downloads.insert({ url: `http://x/${i}`, directory: '/tmp', fileName: null, fileNameFixed: false, overwrite: false, status: 'queued', connections: 4 }).id,
  );
  return { store, file, ids };
}

/** Another connection's view, as another Ferry process would have it. */
function watcher(file: string) {
  const db = new Database(file, { readonly: true });
  const names = () => db.prepare('SELECT file_name FROM downloads ORDER BY id').pluck().all();
  return { names, close: () => db.close() };
}

/** Pages written to the WAL so far: every commit writes each page it changed once more. */
function walFrames(file: string): number {
  const size = fs.statSync(`${file}-wal`).size;
  return Math.max(0, size - 32) / (24 + 4096);
}

/** The WAL frames of one transaction naming `count` downloads, measured on a store of its own. */
async function framesOfOneTransaction(count: number): Promise<number> {
  const { store, file, ids } = await storeWithDownloads(count);
  const before = walFrames(file);
  store.transaction(() => ids.forEach((id, i) => store.downloads.update(id, { fileName: `f${i}.bin` })));
  const frames = walFrames(file) - before;
  store.close();
  return frames;
}

describe('group commit', () => {
  it('commits what five downloads ask for in one turn once, and each sees its own work committed', async () => {
    const { store, file, ids } = await storeWithDownloads(5);
    const other = watcher(file);
    const before = walFrames(file);
    const claims = ids.map((id, i) =>
      store.commitSoon(() => {
        store.downloads.update(id, { fileName: `f${i}.bin` });
        return other.names()[i];
      }),
    );
    // Nothing is written until the turn's I/O is done.
    expect(other.names()).toEqual([null, null, null, null, null]);
    // Inside the commit, the other connection still saw the old rows; after it, every name.
    expect(await Promise.all(claims)).toEqual([null, null, null, null, null]);
    expect(other.names()).toEqual(['f0.bin', 'f1.bin', 'f2.bin', 'f3.bin', 'f4.bin']);
    // Written as one transaction naming all five would be: not five commits' worth.
    expect(walFrames(file) - before).toBe(await framesOfOneTransaction(5));
    other.close();
    store.close();
  });

  it('rolls back only the caller that failed', async () => {
    const { store, file, ids } = await storeWithDownloads(3);
    const results = await Promise.allSettled(
      ids.map((id, i) =>
        store.commitSoon(() => {
          store.downloads.update(id, { fileName: `f${i}.bin` });
          if (i === 1) throw new Error('this one changed its mind');
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('this one changed its mind');
    const other = watcher(file);
    expect(other.names()).toEqual(['f0.bin', null, 'f2.bin']);
    other.close();
    store.close();
  });

  it('rolls back a lone caller that failed', async () => {
    const { store, file, ids } = await storeWithDownloads(1);
    await expect(
      store.commitSoon(() => {
        store.downloads.update(ids[0]!, { fileName: 'half.bin' });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    const other = watcher(file);
    expect(other.names()).toEqual([null]);
    other.close();
    store.close();
  });

  it('commits what is pending when the store closes', async () => {
    const { store, file, ids } = await storeWithDownloads(2);
    const claims = ids.map((id, i) => store.commitSoon(() => store.downloads.update(id, { fileName: `late${i}.bin` })));
    store.close();
    await Promise.all(claims);
    const other = watcher(file);
    expect(other.names()).toEqual(['late0.bin', 'late1.bin']);
    other.close();
  });

  it('gives commits asked for in later turns commits of their own', async () => {
    const { store, file, ids } = await storeWithDownloads(2);
    const before = walFrames(file);
    await store.commitSoon(() => store.downloads.update(ids[0]!, { fileName: 'f0.bin' }));
    await store.commitSoon(() => store.downloads.update(ids[1]!, { fileName: 'f1.bin' }));
    expect(walFrames(file) - before).toBe(2 * (await framesOfOneTransaction(1)));
    store.close();
  });
});
