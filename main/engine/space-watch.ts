// Waits for room on a full disk: a download that hit ENOSPC is paused with a clear error, and
// resumes by itself once the folder's file system has room for the rest of it.
import fs from 'node:fs/promises';

/** Head-room kept beyond the bytes still to come, so a resume does not fill the disk to the brim. */
const MARGIN = 16 * 1024 * 1024;

export async function freeBytes(directory: string): Promise<number | null> {
  try {
    const s = await fs.statfs(directory);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/**
 * Polls every `intervalMs` until `needed()` bytes (plus a margin) are free in `directory`, then
 * calls `onRoom` once. Returns a function that stops watching.
 */
export function watchForSpace(
  directory: string,
  needed: () => number,
  onRoom: () => void,
  intervalMs = 2000,
): () => void {
  let stopped = false;
  const timer = setInterval(async () => {
    const free = await freeBytes(directory);
    if (stopped || free === null || free < needed() + MARGIN) return;
    stop();
    onRoom();
  }, intervalMs);
  timer.unref();
  function stop() {
    stopped = true;
    clearInterval(timer);
  }
  return stop;
}
