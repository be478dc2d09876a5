// `ferry get`: download URLs in the foreground. Running the same command again finds the
// unfinished download of the same URL and target in the database and resumes it.
import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../../engine/engine-api.js';
import { FerryError, OutputExistsError, OutputIsFolderError } from '../../engine/errors.js';
import type { Download } from '../../engine/model.js';
import { validateUrl, maskCredentials } from '../../engine/url-policy.js';
import type { Store } from '../../store/store.js';
import { EXIT } from '../program.js';
import { openEngine, openStore, runInForeground } from '../session.js';
import { readUrlList } from '../url-list.js';

export interface GetOptions {
  urls: string[];
  output?: string;
  dir?: string;
  connections: number;
  /** MiB/s from which a download tries two connections (0: never); see connection-governor.ts. */
  fewerConnectionsAbove: number;
  jobs: number;
  inputFile?: string;
  overwrite?: boolean;
  checksum?: string;
  quiet?: boolean;
  db?: string;
}

export async function runGet(o: GetOptions): Promise<number> {
  const urls = [...o.urls];
  if (o.inputFile) urls.push(...readUrlList(o.inputFile));
  if (urls.length === 0) return usage('give at least one URL, or -i FILE.');
  if (o.output && urls.length !== 1) return usage('-o FILE takes exactly one URL.');
  if (o.output && o.dir) return usage('use -o FILE or -d DIR, not both.');
  if (o.checksum !== undefined && urls.length !== 1) return usage('--checksum takes exactly one URL.');

  const store = openStore(o.db);
  const engine = openEngine(store, {
    maxConcurrent: o.jobs,
    connections: o.connections,
    connectionTrialAbove: o.fewerConnectionsAbove * 1024 * 1024,
  });
  let failures = 0;
  const ids: number[] = [];
  try {
    // Read the table once, not once per URL: a 1,000-line list would read it a million rows over.
    const unfinishedHere = o.output ? null : unfinishedByUrl(store, path.resolve(o.dir ?? '.'));
    // All rows in one commit: a 1,000-line list is one transaction, not a thousand.
    store.transaction(() => {
      for (const raw of urls) {
        try {
          const id = unfinishedHere ? toDir(engine, raw, o, unfinishedHere) : toFile(store, engine, raw, o);
          if (id !== null) ids.push(id);
        } catch (error) {
          failures++;
          const e = error instanceof FerryError ? error : new FerryError('ERROR', String(error));
          console.error(`ferry: failed: ${maskCredentials(String(raw))}: ${e.message} (${e.code})`);
        }
      }
    });
    const result = await runInForeground(engine, ids, Boolean(o.quiet));
    if (result.interrupted) return EXIT.interrupted;
    failures += result.failed.length;
  } finally {
    await engine.close();
    store.close();
  }
  return failures > 0 ? EXIT.failed : EXIT.ok;
}

function usage(message: string): number {
  console.error(`ferry: ${message} See 'ferry get --help'.`);
  return EXIT.usage;
}

const UNFINISHED = new Set(['queued', 'probing', 'downloading', 'paused', 'failed']);

/** `-o FILE`: exactly that file; resume our own unfinished one, never clobber anyone else's. */
function toFile(store: Store, engine: Engine, raw: string, o: GetOptions): number | null {
  const url = validateUrl(raw);
  const target = path.resolve(o.output!);
  // `-o out/` or `-o existing-folder`: the user named a folder, which is never written over.
  if (o.output!.endsWith('/') || o.output!.endsWith(path.sep) || isFolder(target)) throw new OutputIsFolderError(target);
  const directory = path.dirname(target);
  const fileName = path.basename(target);
  const mine = (d: Download) => d.url === url && d.directory === directory && d.fileName === fileName && d.fileNameFixed;
  const rows = store.downloads.list().filter(mine);
  const unfinished = rows.find((d) => UNFINISHED.has(d.status));
  if (unfinished) return resumeExisting(engine, unfinished);
  if (fs.existsSync(target) && !o.overwrite) {
    const done = rows.find((d) => d.status === 'completed' && d.size === fs.statSync(target).size);
    if (done) {
      if (!o.quiet) console.error(`ferry: already complete: ${target}`);
      return null;
    }
    throw new OutputExistsError(target);
  }
  return engine.add({ url, directory, fileName, overwrite: Boolean(o.overwrite), connections: o.connections, checksum: o.checksum }).id;
}

function isFolder(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Unfinished downloads into `directory` under the server's name, by URL (the first of each). */
function unfinishedByUrl(store: Store, directory: string): Map<string, Download> {
  const byUrl = new Map<string, Download>();
  for (const d of store.downloads.list()) {
    if (d.directory === directory && !d.fileNameFixed && UNFINISHED.has(d.status) && !byUrl.has(d.url)) byUrl.set(d.url, d);
  }
  return byUrl;
}

/** `-d DIR`: the server's name, made unique; resume an unfinished download of the same URL there. */
function toDir(engine: Engine, raw: string, o: GetOptions, unfinished: Map<string, Download>): number {
  const url = validateUrl(raw);
  const existing = unfinished.get(url);
  if (existing) {
    unfinished.delete(url);
    return resumeExisting(engine, existing);
  }
  return engine.add({ url, directory: path.resolve(o.dir ?? '.'), connections: o.connections, checksum: o.checksum }).id;
}

function resumeExisting(engine: Engine, d: Download): number {
  const s = engine.attach(d.id);
  // retry, not resume: a file that failed its checksum starts afresh instead of failing again.
  if (s.status === 'failed') engine.retry(d.id);
  else if (s.status === 'paused') engine.resume(d.id);
  return d.id;
}
