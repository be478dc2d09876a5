// Start-up with a damaged database or one from a newer Ferry: detected with a clear message,
// the old file kept under another name (damaged) or left untouched (newer), never overwritten.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../main/store/migrations/index.js';
import { openStoreRecovering } from '../../main/store/open-store.js';
import { createStore } from '../../main/store/store.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';

afterEach(removeTempDirs);

const WHEN = new Date('2026-11-29T12:34:56.789Z');

async function dbWithRows(rows: number): Promise<string> {
  const file = path.join(await makeTempDir('ferry-open-'), 'ferry.db');
  const store = createStore(file);
  for (let i = 0; i < rows; i++) {
    store.downloads.insert({ url: `http://h/${i}`, directory: '/tmp', fileName: `f${i}`, fileNameFixed: false, overwrite: false, status: 'paused', connections: 4 });
  }
  store.close();
  return file;
}

it('a file that is not a database is kept as ferry.db.corrupt-<time> and Ferry starts with an empty list', async () => {
  const file = path.join(await makeTempDir('ferry-open-'), 'ferry.db');
  fs.writeFileSync(file, 'garbage, not sqlite '.repeat(500));
  const before = fs.readFileSync(file);
  const { store, notice } = openStoreRecovering(file, () => WHEN);
  const kept = `${file}.corrupt-2026-11-29T12-34-56-789Z`;
  expect(notice).toContain(kept);
  expect(notice).toMatch(/damaged/);
  expect(fs.readFileSync(kept).equals(before)).toBe(true);
  expect(store.downloads.list()).toEqual([]);
  store.close();
});

it('damage in the middle of a real database (a page overwritten) is detected at start, not later', async () => {
  const file = await dbWithRows(2000);
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
  fs.closeSync(fd);
  const damaged = fs.readFileSync(file);
  const { store, notice } = openStoreRecovering(file, () => WHEN);
  expect(notice).toMatch(/damaged/);
  expect(fs.readFileSync(`${file}.corrupt-2026-11-29T12-34-56-789Z`).equals(damaged)).toBe(true);
  expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  store.close();
});

it('never overwrites an earlier set-aside copy', async () => {
  const file = path.join(await makeTempDir('ferry-open-'), 'ferry.db');
  for (const text of ['first', 'second']) {
    fs.writeFileSync(file, `${text} garbage `.repeat(300));
    openStoreRecovering(file, () => WHEN).store.close();
    fs.rmSync(file);
  }
  const dir = fs.readdirSync(path.dirname(file)).filter((n) => n.includes('.corrupt-')).sort();
  expect(dir).toEqual(['ferry.db.corrupt-2026-11-29T12-34-56-789Z', 'ferry.db.corrupt-2026-11-29T12-34-56-789Z-1']);
});

it('a database from a newer Ferry is refused with a clear message and left exactly as it was', async () => {
  const file = await dbWithRows(3);
  const raw = new Database(file);
  raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
  raw.close();
  const before = fs.readFileSync(file);
  expect(() => openStoreRecovering(file)).toThrow(expect.objectContaining({ code: 'DB_TOO_NEW', message: expect.stringMatching(/newer version of Ferry/) }));
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  expect(fs.readdirSync(path.dirname(file)).some((n) => n.includes('corrupt'))).toBe(false);
});

it('a healthy database opens with its downloads and no notice', async () => {
  const file = await dbWithRows(5);
  const { store, notice } = openStoreRecovering(file);
  expect(notice).toBeNull();
  expect(store.downloads.list()).toHaveLength(5);
  store.close();
});
