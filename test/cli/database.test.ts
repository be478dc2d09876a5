// The CLI meeting a damaged database or one from a newer Ferry: a clear line, the old file kept.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../main/store/migrations/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { ensureBuilt, lines, runFerry } from './harness.js';

beforeAll(ensureBuilt, 120_000);
afterEach(removeTempDirs);

it('a damaged database: ferry says so, keeps it as ferry.db.corrupt-*, and carries on with an empty list', async () => {
  const home = await makeTempDir('ferry-cli-db-');
  const db = path.join(home, 'ferry.db');
  fs.writeFileSync(db, 'definitely not a database '.repeat(100));
  const r = await runFerry(['list', '--db', db], { home });
  expect(r.code, r.stderr).toBe(0);
  expect(lines(r.stderr).filter((l) => /warning: .*damaged.*kept as .*ferry\.db\.corrupt-/.test(l))).toHaveLength(1);
  expect(r.stdout).toMatch(/No downloads/);
  const kept = fs.readdirSync(home).filter((n) => n.startsWith('ferry.db.corrupt-') && !n.endsWith('-wal') && !n.endsWith('-shm'));
  expect(kept).toHaveLength(1);
  expect(fs.readFileSync(path.join(home, kept[0]!), 'utf8')).toBe('definitely not a database '.repeat(100));
});

it('a database from a newer Ferry: exit 1 with one clear line, the file untouched', async () => {
  const home = await makeTempDir('ferry-cli-db-');
  const db = path.join(home, 'ferry.db');
  const raw = new Database(db);
  raw.pragma(`user_version = ${LATEST_VERSION + 3}`);
  raw.close();
  const before = fs.readFileSync(db);
  const r = await runFerry(['list', '--db', db], { home });
  expect(r.code).toBe(1);
  expect(lines(r.stderr)).toEqual([expect.stringMatching(/^ferry: .*newer version of Ferry.*update Ferry/)]);
  expect(fs.readFileSync(db).equals(before)).toBe(true);
});
