// Test data for the benchmark: real, incompressible bytes written out in full (no sparse files,
// no zeros), so neither the file system nor any transfer encoding can shortcut the work.
// The bytes are an AES-256-CTR keystream keyed by the file's name: deterministic across runs,
// cheap to make (AES-NI), and indistinguishable from random for any compressor.
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

const CHUNK = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(CHUNK);

function keystream(seed) {
  const key = createHash('sha256').update(`ferry-bench:${seed}`).digest();
  const iv = createHash('md5').update(`ferry-bench-iv:${seed}`).digest();
  return createCipheriv('aes-256-ctr', key, iv);
}

async function writeAll(fh, buf) {
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
}

/** Writes `size` bytes of seeded pseudo-random content to `path`; returns its sha256 (hex). */
export async function writeRandomFile(path, size, seed) {
  const cipher = keystream(seed);
  const hash = createHash('sha256');
  const fh = await open(path, 'w', 0o644);
  try {
    let left = size;
    while (left > 0) {
      const n = Math.min(left, CHUNK);
      const buf = cipher.update(n === CHUNK ? ZEROS : ZEROS.subarray(0, n));
      hash.update(buf);
      await writeAll(fh, buf);
      left -= n;
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/** sha256 (hex) of a file, streamed. */
export function sha256File(path) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: CHUNK })
      .on('data', (b) => hash.update(b))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Creates the data set under dataDir:
 *   big.bin (bigBytes), mid.bin (midBytes), small/f0000.bin .. (smallCount × smallBytes).
 * Returns names, sizes and sha256 of everything, computed once while writing.
 */
export async function generateData(dataDir, { bigBytes, midBytes, smallCount, smallBytes }) {
  await mkdir(join(dataDir, 'small'), { recursive: true, mode: 0o755 });
  const big = { name: 'big.bin', bytes: bigBytes, sha256: await writeRandomFile(join(dataDir, 'big.bin'), bigBytes, 'big') };
  const mid = { name: 'mid.bin', bytes: midBytes, sha256: await writeRandomFile(join(dataDir, 'mid.bin'), midBytes, 'mid') };
  const small = [];
  for (let i = 0; i < smallCount; i++) {
    const name = `f${String(i).padStart(4, '0')}.bin`;
    const sha256 = await writeRandomFile(join(dataDir, 'small', name), smallBytes, `small-${i}`);
    small.push({ name, rel: `small/${name}`, bytes: smallBytes, sha256 });
  }
  return { big, mid, small };
}
