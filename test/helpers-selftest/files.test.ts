// The small helpers the engine tests lean on: seeded content, hashing, temp dirs, interval sets,
// and the hostile-name table being sendable by a real server.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoverageCounter, IntervalSet } from '../helpers/byte-intervals.js';
import { startFaultServer } from '../helpers/fault-server.js';
import { makeTempDir, randomBytesSeeded, removeTempDirs, sha256, sha256File } from '../helpers/files.js';
import { HOSTILE_NAMES } from '../helpers/hostile-names.js';
import { httpGet } from '../helpers/http-get.js';

afterEach(removeTempDirs);

describe('randomBytesSeeded', () => {
  it.each([0, 1, 3, 4, 5, 1000, 1 << 20])('gives exactly %i bytes, the same for the same seed', (size) => {
    const a = randomBytesSeeded(size, 42);
    expect(a.length).toBe(size);
    expect(a.equals(randomBytesSeeded(size, 42))).toBe(true);
  });

  it('differs between seeds (0 included) and is a prefix of its longer self', () => {
    const seeds = [0, 1, 2, 0xffffffff];
    const hashes = new Set(seeds.map((s) => sha256(randomBytesSeeded(4096, s))));
    expect(hashes.size).toBe(seeds.length);
    expect(randomBytesSeeded(4096, 9).subarray(0, 1001).equals(randomBytesSeeded(1001, 9))).toBe(true);
  });

  it('does not repeat itself within a MiB (a misplaced block would be noticed)', () => {
    const data = randomBytesSeeded(1 << 20, 5);
    const blocks = new Set<string>();
    for (let i = 0; i < data.length; i += 4096) blocks.add(sha256(data.subarray(i, i + 4096)));
    expect(blocks.size).toBe(256);
    expect(data.every((b) => b === 0)).toBe(false);
  });
});

describe('sha256File and makeTempDir', () => {
  it('hashes a file like the buffer it holds, and cleanup removes the directory', async () => {
    const dir = await makeTempDir();
    const data = randomBytesSeeded(3 * 65536 + 7, 1);
    const file = path.join(dir, 'x.bin');
    await writeFile(file, data);
    expect(await sha256File(file)).toBe(sha256(data));
    await removeTempDirs();
    expect(existsSync(dir)).toBe(false);
  });
});

describe('IntervalSet', () => {
  it.each([
    { adds: [[0, 10]], expected: [[0, 10]] },
    { adds: [[0, 10], [10, 20]], expected: [[0, 20]] },
    { adds: [[10, 20], [0, 10]], expected: [[0, 20]] },
    { adds: [[0, 10], [20, 30], [5, 25]], expected: [[0, 30]] },
    { adds: [[20, 30], [0, 10], [40, 50]], expected: [[0, 10], [20, 30], [40, 50]] },
    { adds: [[0, 10], [20, 30], [40, 50], [9, 41]], expected: [[0, 50]] },
    { adds: [[5, 5], [7, 3]], expected: [] },
    { adds: [[0, 5 * 2 ** 30], [2 ** 32, 2 ** 33]], expected: [[0, 2 ** 33]] },
  ])('merges $adds into $expected', ({ adds, expected }) => {
    const set = new IntervalSet();
    for (const [s, e] of adds) set.add(s!, e!);
    expect(set.toArray()).toEqual(expected);
    expect(set.size).toBe(expected.reduce((n, [s, e]) => n + e! - s!, 0));
  });

  it('counts bytes covered twice however the ranges interleave', () => {
    const counter = new CoverageCounter();
    for (const [s, e] of [[0, 100], [200, 300], [50, 250], [0, 10], [1000, 1001]]) counter.add(s!, e!);
    // [0,100) and [200,300) overlap [50,250) on [50,100) and [200,250); [0,10) is covered again.
    expect(counter.twice.toArray()).toEqual([[0, 10], [50, 100], [200, 250]]);
    expect(counter.once.size).toBe(301);
  });
});

describe('hostile names on the wire', () => {
  it('every header is accepted by a real server and arrives unchanged', async () => {
    const server = await startFaultServer();
    try {
      for (const [i, { label, header }] of HOSTILE_NAMES.entries()) {
        server.setFile(`/h${i}`, { body: Buffer.from('x'), contentDisposition: header });
        const res = await httpGet(server.url(`/h${i}`), { method: 'HEAD' });
        expect({ label, header: res.headers['content-disposition'] }).toEqual({ label, header });
      }
    } finally {
      await server.close();
    }
  });
});
