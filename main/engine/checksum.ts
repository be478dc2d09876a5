// Checksums: one the user gives (`sha-256=HEX`), or one the server sends (Repr-Digest and
// Content-Digest of RFC 9530, the older Digest of RFC 3230, Content-MD5). The finished file is
// hashed before it gets its final name; a mismatch keeps the data and fails with a clear error.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FerryError } from './errors.js';
import type { Checksum, ChecksumAlgorithm } from './model.js';

export type { Checksum, ChecksumAlgorithm };

const HEX_LENGTH: Record<ChecksumAlgorithm, number> = { 'sha-256': 64, 'sha-512': 128, 'sha-1': 40, md5: 32 };
/** Node's crypto name for each algorithm. */
export const NODE_NAME: Record<ChecksumAlgorithm, string> = { 'sha-256': 'sha256', 'sha-512': 'sha512', 'sha-1': 'sha1', md5: 'md5' };
const ALIASES: Record<string, ChecksumAlgorithm> = {
  'sha-256': 'sha-256',
  sha256: 'sha-256',
  'sha-512': 'sha-512',
  sha512: 'sha-512',
  'sha-1': 'sha-1',
  sha1: 'sha-1',
  md5: 'md5',
};

export class InvalidChecksumError extends FerryError {
  constructor(message: string) {
    super('INVALID_CHECKSUM', message);
  }
}

/** Parses `ALGORITHM=HEX` as given by a user (sha-256, sha-512, sha-1 or md5). */
export function parseChecksum(input: unknown): Checksum {
  if (typeof input !== 'string') throw new InvalidChecksumError('A checksum must be text like sha-256=HEX.');
  const m = /^\s*([a-z0-9-]+)\s*[=:]\s*([0-9a-f]+)\s*$/i.exec(input);
  const algorithm = m ? ALIASES[m[1]!.toLowerCase()] : undefined;
  if (!m || !algorithm) {
    throw new InvalidChecksumError('A checksum must look like sha-256=HEX (sha-256, sha-512, sha-1 or md5).');
  }
  const hex = m[2]!.toLowerCase();
  if (hex.length !== HEX_LENGTH[algorithm]) {
    throw new InvalidChecksumError(`A ${algorithm} checksum has ${HEX_LENGTH[algorithm]} hex digits, not ${hex.length}.`);
  }
  return { algorithm, hex, source: 'user' };
}

type Headers = Record<string, string | string[] | undefined>;

/**
 * The strongest digest of the whole file the server sent with a full, unencoded 200 response.
 * Repr-Digest / Content-Digest use structured fields (`sha-256=:BASE64:`); Digest uses
 * `SHA-256=BASE64`; Content-MD5 is bare base64.
 */
export function serverChecksum(headers: Headers): Checksum | null {
  const found = new Map<ChecksumAlgorithm, string>();
  for (const name of ['repr-digest', 'content-digest']) {
    for (const item of splitList(headers[name])) {
      const m = /^([a-z0-9-]+)=:([A-Za-z0-9+/=]+):$/i.exec(item);
      const alg = m ? ALIASES[m[1]!.toLowerCase()] : undefined;
      if (m && alg) addBase64(found, alg, m[2]!);
    }
  }
  for (const item of splitList(headers.digest)) {
    const m = /^([a-z0-9-]+)=([A-Za-z0-9+/=]+)$/i.exec(item);
    const alg = m ? ALIASES[m[1]!.toLowerCase()] : undefined;
    if (m && alg) addBase64(found, alg, m[2]!);
  }
  const md5 = first(headers['content-md5']);
  if (md5) addBase64(found, 'md5', md5.trim());
  for (const alg of ['sha-512', 'sha-256', 'sha-1', 'md5'] as const) {
    const hex = found.get(alg);
    if (hex) return { algorithm: alg, hex, source: 'server' };
  }
  return null;
}

function addBase64(found: Map<ChecksumAlgorithm, string>, alg: ChecksumAlgorithm, b64: string): void {
  const hex = Buffer.from(b64, 'base64').toString('hex');
  if (hex.length === HEX_LENGTH[alg] && !found.has(alg)) found.set(alg, hex);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function splitList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

/**
 * Hashes a file front to back. Bytes written in order from the start (one connection, or the
 * first segment) are hashed as they are written, from memory; the rest is read back from disk
 * at the end. A single-connection download is never read twice.
 */
export class PrefixHash {
  /** The next file offset the hashes expect. */
  next = 0;
  private readonly hashes: Hash[];

  constructor(readonly algorithms: readonly ChecksumAlgorithm[]) {
    this.hashes = algorithms.map((a) => createHash(NODE_NAME[a]));
  }

  /** Buffers just written at `position`: hashed when they continue the prefix, else ignored. */
  offer(buffers: readonly Buffer[], position: number): void {
    if (position !== this.next) return;
    for (const b of buffers) {
      for (const h of this.hashes) h.update(b);
      this.next += b.length;
    }
  }

  /** Hashes what the prefix has not covered yet from `path`, and returns hex per algorithm. */
  async finish(path: string, size: number | null = null): Promise<Map<ChecksumAlgorithm, string>> {
    if (size === null || this.next < size) {
      // Small reads for small files: sixteen 64 KiB downloads should not each hold 256 KiB.
      const highWaterMark = Math.max(16 * 1024, Math.min(256 * 1024, size ?? 256 * 1024));
      for await (const chunk of createReadStream(path, { start: this.next, highWaterMark })) {
        for (const h of this.hashes) h.update(chunk as Buffer);
      }
    }
    return new Map(this.algorithms.map((a, i) => [a, this.hashes[i]!.digest('hex')]));
  }
}

/** Hashes a whole file once for several algorithms; returns lower-case hex per algorithm. */
export async function hashFile(path: string, algorithms: readonly ChecksumAlgorithm[]): Promise<Map<ChecksumAlgorithm, string>> {
  return new PrefixHash([...new Set(algorithms)]).finish(path);
}

export class ChecksumMismatchError extends FerryError {
  constructor(expected: Checksum, actual: string) {
    const from = expected.source === 'user' ? 'the checksum you gave' : 'the checksum the server sent';
    super(
      'CHECKSUM_MISMATCH',
      `The downloaded file does not match ${from} (${expected.algorithm} ${actual.slice(0, 12)}… instead of ${expected.hex.slice(0, 12)}…). The data is kept; retry to download it afresh.`,
    );
  }
}
