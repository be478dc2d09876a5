// Opening the store and engine for one CLI command, and running downloads in the foreground
// until each is complete or failed. Ctrl-C pauses them (a checkpoint first), so the same command
// resumes; a SIGKILL leaves them "downloading" with a dead owner, which the same command resumes too.
import { createEngine } from '../engine/engine.js';
import type { Engine } from '../engine/engine-api.js';
import type { DownloadSnapshot, EngineSettings } from '../engine/model.js';
import { openStoreRecovering } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { defaultDbPath } from './db-path.js';
import { createProgressView, type ProgressView } from './progress-view.js';

export function openStore(db: string | undefined): Store {
  const { store, notice } = openStoreRecovering(db ?? defaultDbPath());
  if (notice) console.error(`ferry: warning: ${notice}`);
  return store;
}

export function openEngine(store: Store, settings: Partial<EngineSettings> = {}): Engine {
  return createEngine({ store, settings });
}

export interface ForegroundResult {
  completed: DownloadSnapshot[];
  failed: DownloadSnapshot[];
  interrupted: boolean;
}

/** Waits until every id is completed or failed, showing progress; Ctrl-C pauses and returns. */
export async function runInForeground(engine: Engine, ids: number[], quiet: boolean): Promise<ForegroundResult> {
  const pending = new Set(ids);
  const result: ForegroundResult = { completed: [], failed: [], interrupted: false };
  const view: ProgressView = await createProgressView({ quiet, tty: Boolean(process.stderr.isTTY) });
  for (const id of ids) view.update(engine.get(id));

  const settle = (s: DownloadSnapshot) => {
    if (!pending.has(s.id)) return;
    if (s.status === 'completed') result.completed.push(s);
    else if (s.status === 'failed' || s.status === 'canceled' || s.status === 'paused') result.failed.push(s);
    else return;
    pending.delete(s.id);
    view.finish(s);
  };
  for (const id of ids) settle(engine.get(id));

  await new Promise<void>((resolve) => {
    if (pending.size === 0) return resolve();
    const offProgress = engine.on('progress', (batch) => {
      for (const s of batch.updated) {
        if (!pending.has(s.id)) continue;
        view.update(s);
        settle(s);
      }
      for (const id of batch.removed) removedElsewhere(id);
      if (pending.size === 0) done();
    });
    const offFinished = engine.on('finished', (s) => {
      settle(s);
      if (pending.size === 0) done();
    });
    // The engine's timers do not hold the process open, and a download paused or removed by
    // another ferry process leaves no socket that would: this referenced timer waits for us.
    const keepAlive = setInterval(() => {
      const now = new Map(engine.list().map((s) => [s.id, s]));
      for (const id of [...pending]) {
        const s = now.get(id);
        if (s) settle(s);
        else removedElsewhere(id);
      }
      if (pending.size === 0) done();
    }, 250);
    const interrupt = () => {
      result.interrupted = true;
      view.interrupt('ferry: pausing (saving progress)... run the same command again to resume.');
      Promise.all([...pending].map((id) => engine.pause(id).catch(() => {}))).then(done, done);
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    function removedElsewhere(id: number) {
      if (!pending.delete(id)) return;
      result.failed.push({ id } as DownloadSnapshot);
      view.note(`ferry: removed: download ${id} was removed by another ferry process.`);
    }
    function done() {
      clearInterval(keepAlive);
      offProgress();
      offFinished();
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      resolve();
    }
  });
  view.stop();
  return result;
}
