// The `<name>.part` file a download writes into: positional writes of coalesced buffers from many
// connections into one handle, a flush before a checkpoint claims bytes, and a size check on resume.
import { writevSync } from 'node:fs';
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { toFerryError } from './errors.js';

export class PartFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /** Creates a new partial file; fails with EEXIST if one is there (that is how names are reserved). */
  static async create(path: string, { replace = false } = {}): Promise<PartFile> {
    return new PartFile(path, await fs.open(path, replace ? 'w' : 'wx'));
  }

  /** Opens an existing partial file for resuming; null when it is gone. */
  static async openExisting(path: string): Promise<PartFile | null> {
    try {
      return new PartFile(path, await fs.open(path, 'r+'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw toFerryError(error);
    }
  }

  /** Writes `buffers` back to back starting at `position`; resolves once all bytes are written. */
  async write(buffers: Buffer[], position: number): Promise<void> {
    let pos = position;
    let pending = buffers;
    while (pending.length > 0) {
      const { bytesWritten } = await this.handle.writev(pending, pos);
      pos += bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
  }

  /**
   * The same as `write`, done on the calling thread: the caller waits for the copy into the page
   * cache instead of handing it to libuv's thread pool (see fast-range.ts for when that pays).
   */
  writeNow(buffers: Buffer[], position: number): void {
    let pos = position;
    let pending = buffers;
    while (pending.length > 0) {
      const bytesWritten = writevSync(this.handle.fd, pending, pos);
      pos += bytesWritten;
      pending = dropBytes(pending, bytesWritten);
    }
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  async truncate(length = 0): Promise<void> {
    await this.handle.truncate(length);
  }

  /** Flushes written data to stable storage, so a checkpoint after it survives a power cut. */
  async flush(): Promise<void> {
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }
}

/** The buffers left after the first `n` bytes were written (writev may write partially). */
function dropBytes(buffers: Buffer[], n: number): Buffer[] {
  let left = n;
  const out: Buffer[] = [];
  for (const b of buffers) {
    if (left >= b.length) {
      left -= b.length;
      continue;
    }
    out.push(left > 0 ? b.subarray(left) : b);
    left = 0;
  }
  return out;
}
