// Test data and temp directories. Content is deterministic (seeded) so a failing test can be
// re-run byte for byte, and pseudo-random so a byte written at the wrong offset never matches by luck.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * `size` bytes of xorshift32 output. Filled a word at a time, so 1 GiB takes a couple of seconds
 * rather than the minutes a per-byte loop or crypto.randomBytes-with-a-seed emulation would.
 */
export function randomBytesSeeded(size: number, seed: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`bad size ${size}`);
  const words = new Int32Array(Math.ceil(size / 4));
  // xorshift32 is stuck at 0 forever; mixing the seed with a constant avoids that and makes
  // neighbouring seeds (1, 2, 3) produce unrelated streams.
  let x = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) || 0x2545f491;
  const n = words.length;
  // x stays a signed 32-bit integer throughout, which keeps V8 on its fast integer path.
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return Buffer.from(words.buffer, 0, size);
}

export function sha256(data: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Streams the file, so hashing a 1 GiB download does not need 1 GiB of memory. */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const created = new Set<string>();

/**
 * A fresh directory under os.tmpdir(). Every directory made here is remembered so one
 * `afterEach(removeTempDirs)` cleans up after a whole test file, even when a test fails midway.
 */
export async function makeTempDir(prefix = 'ferry-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  created.add(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  const dirs = [...created];
  created.clear();
  // maxRetries: on Windows a just-closed handle can keep a file busy for a moment.
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
}
