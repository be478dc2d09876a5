// Progress for the window: at most one message per interval, however often the engine reports
// and however many windows or tests listen. Batches that arrive in between are merged: the latest
// snapshot of each download wins, and removals accumulate (a removal also drops a pending update,
// so the window never resurrects a row it was told is gone).
import type { DownloadSnapshot } from '../engine/model.js';
import type { ProgressBatch } from '../engine/engine-api.js';

export interface ProgressBatcher {
  push(batch: ProgressBatch): void;
  close(): void;
}

export function createProgressBatcher(intervalMs: number, emit: (batch: ProgressBatch) => void): ProgressBatcher {
  const updated = new Map<number, DownloadSnapshot>();
  const removed = new Set<number>();
  let lastEmit = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  function flush(): void {
    timer = null;
    if (closed || (updated.size === 0 && removed.size === 0)) return;
    const batch: ProgressBatch = { updated: [...updated.values()], removed: [...removed] };
    updated.clear();
    removed.clear();
    lastEmit = performance.now();
    emit(batch);
  }

  return {
    push(batch) {
      if (closed) return;
      for (const snapshot of batch.updated) {
        updated.set(snapshot.id, snapshot);
        removed.delete(snapshot.id);
      }
      for (const id of batch.removed) {
        updated.delete(id);
        removed.add(id);
      }
      if (timer) return;
      // Leading edge when the window has been quiet (a click shows at once), trailing otherwise.
      const wait = lastEmit + intervalMs - performance.now();
      if (wait <= 0) flush();
      else {
        timer = setTimeout(flush, wait);
        timer.unref();
      }
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      updated.clear();
      removed.clear();
    },
  };
}
