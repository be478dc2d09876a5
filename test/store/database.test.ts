// The SQLite store on real files: migrations, refusal of foreign or newer databases, and the
// atomicity a checkpoint relies on.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database.js';
import { LATEST_VERSION, MIGRATIONS } from '../../main/store/migrations/index.js';
import { createStore } from '../../main/store/store.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';

afterEach(removeTempDirs);

async function dbFile(): Promise<string> {
  return path.join(await makeTempDir('ferry-store-'), 'nested', 'ferry.db');
}

describe('opening a database', () => {
  it('creates a fresh one with every migration applied, in WAL mode', async () => {
    const file = await dbFile();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['downloads', 'segments', 'settings']));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('opens an existing one without re-running migrations', async () => {
    const file = await dbFile();
    const a = createStore(file);
    a.downloads.insert({ url: 'http://x/a', directory: '/tmp', fileName: null, fileNameFixed: false, overwrite: false, status: 'paused', connections: 4 });
    a.close();
    const b = createStore(file);
    expect(b.downloads.list()).toHaveLength(1);
    b.close();
  });

  it('upgrades a database from an older Ferry in place, keeping its downloads', async () => {
    const file = await dbFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // A version-4 database as the previous release left it, with one download half done.
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.filter((x) => x.version <= 4)) raw.exec(m.up);
    raw.pragma('user_version = 4');
    raw.prepare(`INSERT INTO downloads (url, directory, file_name, status, position, connections, size, created_at, updated_at)
                 VALUES ('http://h/a.iso', '/dl', 'a.iso', 'paused', 1, 4, 1000, 1, 1)`).run();
    raw.prepare('INSERT INTO segments (download_id, start, end, written) VALUES (1, 0, 999, 400)').run();
    raw.close();

    const store = createStore(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(store.downloads.list()).toMatchObject([{ id: 1, url: 'http://h/a.iso', fileName: 'a.iso', status: 'paused', size: 1000, connections: 4 }]);
    expect(store.segments.list(1)).toEqual([{ start: 0, end: 999, written: 400 }]);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });

  it('refuses a database from a newer Ferry and leaves it untouched', async () => {
    const file = await dbFile();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW', message: expect.stringMatching(/newer version of Ferry/) }));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database, without modifying it', async () => {
    const file = await dbFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, 'this is not sqlite at all '.repeat(200));
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'DB_CORRUPT' }));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});

describe('repositories', () => {
  it('round-trips a download and its patches', async () => {
    const store = createStore(await dbFile());
    const d = store.downloads.insert({ url: 'https://h/x.iso', directory: '/dl', fileName: 'x.iso', fileNameFixed: true, overwrite: false, status: 'queued', connections: 8 });
    store.downloads.update(d.id, { size: 5 * 2 ** 30, etag: '"e"', resumable: true, error: { code: 'HTTP_NOT_FOUND', message: 'gone' } });
    const back = store.downloads.get(d.id)!;
    expect(back).toMatchObject({ url: 'https://h/x.iso', fileName: 'x.iso', fileNameFixed: true, size: 5 * 2 ** 30, etag: '"e"', resumable: true, error: { code: 'HTTP_NOT_FOUND', message: 'gone' } });
    store.downloads.update(d.id, { error: null });
    expect(store.downloads.get(d.id)!.error).toBeNull();
    store.close();
  });

  it('saves segment progress past 4 GiB exactly, and replaces a plan atomically', async () => {
    const store = createStore(await dbFile());
    const d = store.downloads.insert({ url: 'https://h/big', directory: '/dl', fileName: null, fileNameFixed: false, overwrite: false, status: 'queued', connections: 2 });
    const big = 5 * 2 ** 30;
    store.segments.replace(d.id, [{ start: 0, end: big / 2 - 1, written: 0 }, { start: big / 2, end: big - 1, written: 0 }]);
    store.segments.save(d.id, [{ start: big / 2, end: big - 1, written: big / 2 - 7 }]);
    expect(store.segments.list(d.id)).toEqual([{ start: 0, end: big / 2 - 1, written: 0 }, { start: big / 2, end: big - 1, written: big / 2 - 7 }]);
    expect(store.segments.totals().get(d.id)).toBe(big / 2 - 7);
    store.segments.replace(d.id, [{ start: 0, end: big - 1, written: 0 }]);
    expect(store.segments.list(d.id)).toHaveLength(1);
    store.downloads.remove(d.id);
    expect(store.segments.list(d.id)).toEqual([]);
    store.close();
  });

  it('keeps settings over the defaults and ignores values of the wrong type', async () => {
    const store = createStore(await dbFile());
    store.settings.save({ maxConcurrent: 7 });
    store.db.prepare("INSERT INTO settings (key, value) VALUES ('connections', '\"lots\"')").run();
    const s = store.settings.load();
    expect(s.maxConcurrent).toBe(7);
    expect(s.connections).toBe(8);
    store.close();
  });

  it('commits a transaction whole, and undoes only a nested one that threw', async () => {
    const file = await dbFile();
    const store = createStore(file);
    const add = (url: string) =>
      store.downloads.insert({ url, directory: '/dl', fileName: null, fileNameFixed: false, overwrite: false, status: 'queued', connections: 1 });
    store.transaction(() => {
      add('http://h/kept');
      try {
        store.transaction(() => {
          add('http://h/undone');
          throw new Error('inner');
        });
      } catch {
        // The outer transaction goes on without the inner one's row.
      }
      add('http://h/also-kept');
    });
    expect(() => store.transaction(() => {
      add('http://h/rolled-back');
      throw new Error('outer');
    })).toThrow('outer');
    store.close();
    const reopened = createStore(file);
    expect(reopened.downloads.list().map((d) => d.url)).toEqual(['http://h/kept', 'http://h/also-kept']);
    reopened.close();
  });
});
