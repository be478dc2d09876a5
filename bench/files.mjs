// Test data for the benchmark: real, incompressible bytes written out in full (no sparse files,
// no zeros), so neither the file system nor any transfer encoding can shortcut the work. The one
// exception is huge-sparse's 5 GiB file (writeSparseFile, at the end): mostly holes, with marker
// blocks around 2 and 4 GiB, because what it tests is offsets past 2^32, not throughput per byte.
// The bytes are an AES-256-CTR keystream keyed by the file's name: deterministic across runs,
// cheap to make (AES-NI), and indistinguishable from random for any compressor.
import { createCipheriv, createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
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

// ---- huge-sparse: a 5 GiB file that costs no disk on the server side ----------------------------

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Where the non-zero marker blocks of the sparse file go: 1 MiB each, every one different (keyed by
 * its offset), at the start, straddling 2^31 and 2^32, just past 2^32 at an odd offset, and at the
 * end. Everything else is a hole (zeros). A write at `offset mod 2^32` (or any other offset
 * arithmetic slip past 2 or 4 GiB) puts a marker where zeros belong, or zeros where a marker
 * belongs, and the sha256 no longer matches.
 */
export function sparseMarkers(size) {
  const offsets = [0, 2 * GiB - 512 * KiB, 4 * GiB - 512 * KiB, 4 * GiB + MiB + 7, size - MiB];
  return offsets
    .filter((o) => o >= 0 && o + MiB <= size)
    .map((offset) => ({ offset, length: MiB, seed: `huge-marker-${offset}` }));
}

function markerBytes(m) {
  return keystream(m.seed).update(Buffer.alloc(m.length));
}

/** The expected bytes of [offset, offset + length) of a sparse file made by writeSparseFile. */
function expectedSlice(markers, offset, length) {
  const buf = Buffer.alloc(length);
  for (const m of markers) {
    const from = Math.max(offset, m.offset);
    const to = Math.min(offset + length, m.offset + m.length);
    if (from < to) m.bytes.copy(buf, from - offset, from - m.offset, to - m.offset);
  }
  return buf;
}

/**
 * Makes `path` a sparse file of `size` bytes (ftruncate: holes read as zeros and take no disk) with
 * the marker blocks of sparseMarkers(size) written in. Returns { bytes, sha256, markers,
 * allocatedBytes }. The sha256 is computed from memory (a zero buffer for the holes), never by
 * reading the file back.
 */
export async function writeSparseFile(path, size, markers = sparseMarkers(size)) {
  const withBytes = markers.map((m) => ({ ...m, bytes: markerBytes(m) })).sort((a, b) => a.offset - b.offset);
  const fh = await open(path, 'w', 0o644);
  try {
    await fh.truncate(size);
    for (const m of withBytes) {
      let off = 0;
      while (off < m.bytes.length) {
        const { bytesWritten } = await fh.write(m.bytes, off, m.bytes.length - off, m.offset + off);
        off += bytesWritten;
      }
    }
  } finally {
    await fh.close();
  }
  const hash = createHash('sha256');
  let pos = 0;
  const zeros = (n) => {
    while (n > 0) {
      const k = Math.min(n, CHUNK);
      hash.update(k === CHUNK ? ZEROS : ZEROS.subarray(0, k));
      n -= k;
    }
  };
  for (const m of withBytes) { // markers do not overlap (checked by sparseMarkers' layout)
    zeros(m.offset - pos);
    hash.update(m.bytes);
    pos = m.offset + m.length;
  }
  zeros(size - pos);
  const st = await stat(path);
  return {
    bytes: size,
    sha256: hash.digest('hex'),
    markers: markers.map(({ offset, length, seed }) => ({ offset, length, seed })),
    allocatedBytes: st.blocks * 512,
  };
}

/**
 * Where a downloaded copy of a sparse file differs from what it should be: for a sha256 mismatch of
 * huge-sparse, so the report says which offsets went wrong. Compares in 64 KiB blocks; returns
 * { size, expectedSize, ranges: [{ start, end }] (from the first to the last differing byte of
 * differing blocks, merged across gaps under 64 KiB; the first 20), rangeCount, markers: [{ offset,
 * ok, atMod32 }] } where atMod32 says whether the marker's bytes sit at offset mod 2^32 instead (a
 * 32-bit truncation).
 */
export async function diffSparse(path, { bytes: expectedSize, markers }) {
  const withBytes = markers.map((m) => ({ ...m, bytes: markerBytes(m) }));
  const st = await stat(path);
  const fh = await open(path, 'r');
  const ranges = [];
  let rangeCount = 0;
  const BLOCK = 64 * KiB;
  let lastEnd = -Infinity;
  const addRange = (start, end) => {
    const merge = start - lastEnd < BLOCK;
    lastEnd = end;
    if (merge) {
      if (rangeCount <= 20) ranges[ranges.length - 1].end = end;
      return;
    }
    rangeCount++;
    if (ranges.length < 20) ranges.push({ start, end });
  };
  const buf = Buffer.alloc(CHUNK);
  try {
    const len = Math.min(st.size, expectedSize);
    for (let off = 0; off < len; off += CHUNK) {
      const n = Math.min(CHUNK, len - off);
      const { bytesRead } = await fh.read(buf, 0, n, off);
      const got = buf.subarray(0, n);
      if (bytesRead < n) got.fill(0, bytesRead); // never happens below the file's size; be safe
      const want = expectedSlice(withBytes, off, n);
      if (got.equals(want)) continue;
      for (let b = 0; b < n; b += BLOCK) {
        const e = Math.min(n, b + BLOCK);
        if (got.subarray(b, e).equals(want.subarray(b, e))) continue;
        let first = b;
        while (got[first] === want[first]) first++;
        let last = e - 1;
        while (got[last] === want[last]) last--;
        addRange(off + first, off + last + 1);
      }
    }
    if (st.size !== expectedSize) addRange(len, Math.max(st.size, expectedSize));
    const out = [];
    for (const m of withBytes) {
      const check = async (at) => {
        if (at + m.length > st.size) return false;
        const b = Buffer.alloc(m.length);
        await fh.read(b, 0, m.length, at);
        return b.equals(m.bytes);
      };
      const ok = await check(m.offset);
      const mod = m.offset % 2 ** 32;
      out.push({ offset: m.offset, ok, atMod32: !ok && mod !== m.offset ? await check(mod) : false });
    }
    return { size: st.size, expectedSize, ranges, rangeCount, markers: out };
  } finally {
    await fh.close();
  }
}
