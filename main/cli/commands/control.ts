// `ferry pause|resume|remove ID`. When another ferry process is running the download, the
// request is left on its row and that process acts on it at its next checkpoint (within a
// second); otherwise the change is made here.
import { isProcessAlive } from '../../engine/process-alive.js';
import { isActive } from '../../engine/status.js';
import type { ControlRequest } from '../../store/downloads-repo.js';
import type { Store } from '../../store/store.js';
import { EXIT } from '../program.js';
import { openEngine, openStore, runInForeground } from '../session.js';

const WAIT_MS = 10_000;

function liveOwner(store: Store, id: number): number | null {
  const owner = store.downloads.owner(id)?.pid ?? null;
  return owner !== null && owner !== process.pid && isProcessAlive(owner) ? owner : null;
}

/**
 * Leaves `request` for the process running the download and waits until it is carried out.
 * 'gone' when that process stopped running the download first (finished, exited): the caller
 * then acts on the database itself.
 */
async function askOwner(store: Store, id: number, request: ControlRequest, done: () => boolean): Promise<'done' | 'gone' | 'timeout'> {
  store.downloads.requestControl(id, request);
  const until = Date.now() + WAIT_MS;
  while (Date.now() < until) {
    if (done()) return 'done';
    if (liveOwner(store, id) === null) return done() ? 'done' : 'gone';
    await new Promise((r) => setTimeout(r, 100));
  }
  return done() ? 'done' : 'timeout';
}

function notFound(id: number): number {
  console.error(`ferry: there is no download with id ${id}.`);
  return EXIT.failed;
}

export async function runPause({ db, id }: { db?: string; id: number }): Promise<number> {
  const store = openStore(db);
  try {
    const d = store.downloads.get(id);
    if (!d) return notFound(id);
    if (d.status === 'paused') return EXIT.ok;
    if (!(d.status === 'queued' || isActive(d.status))) {
      console.error(`ferry: download ${id} is ${d.status} and cannot be paused.`);
      return EXIT.failed;
    }
    const owner = liveOwner(store, id);
    if (owner !== null) {
      const outcome = await askOwner(store, id, 'pause', () => store.downloads.get(id)?.status === 'paused');
      if (outcome === 'done') return EXIT.ok;
      if (outcome === 'timeout') {
        console.error(`ferry: process ${owner} did not pause download ${id} in time.`);
        return EXIT.failed;
      }
      const now = store.downloads.get(id);
      if (!now || !(now.status === 'queued' || isActive(now.status))) {
        console.error(`ferry: download ${id} is ${now?.status ?? 'gone'} and cannot be paused.`);
        return EXIT.failed;
      }
    }
    store.downloads.update(id, { status: 'paused' });
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export async function runResume({ db, id, quiet }: { db?: string; id: number; quiet: boolean }): Promise<number> {
  const store = openStore(db);
  const engine = openEngine(store);
  try {
    const d = engine.attach(id);
    if (d.status === 'completed') {
      console.error(`ferry: download ${id} is already complete.`);
      return EXIT.ok;
    }
    if (d.status === 'paused' || d.status === 'failed' || d.status === 'canceled') engine.resume(id);
    const result = await runInForeground(engine, [id], quiet);
    if (result.interrupted) return EXIT.interrupted;
    return result.failed.length > 0 ? EXIT.failed : EXIT.ok;
  } catch (error) {
    console.error(`ferry: ${(error as Error).message}`);
    return EXIT.failed;
  } finally {
    await engine.close();
    store.close();
  }
}

export async function runRemove({ db, id, deleteFile }: { db?: string; id: number; deleteFile: boolean }): Promise<number> {
  const store = openStore(db);
  try {
    if (!store.downloads.get(id)) return notFound(id);
    const owner = liveOwner(store, id);
    if (owner !== null) {
      const outcome = await askOwner(store, id, deleteFile ? 'remove-delete' : 'remove', () => !store.downloads.get(id));
      if (outcome === 'done') return EXIT.ok;
      if (outcome === 'timeout') {
        console.error(`ferry: process ${owner} did not remove download ${id} in time.`);
        return EXIT.failed;
      }
      store.downloads.requestControl(id, null);
    }
    const engine = openEngine(store);
    try {
      const d = store.downloads.get(id);
      // The owner may have carried the request out just as it let go of the download.
      if (!d) return EXIT.ok;
      // attach() would restart an interrupted download; mark it paused first so it stays put.
      if (isActive(d.status) || d.status === 'queued') store.downloads.update(id, { status: 'paused' });
      engine.attach(id);
      await engine.remove(id, { deleteFile });
    } finally {
      await engine.close();
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
