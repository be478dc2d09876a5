// The pump writes each body byte at its own file offset, whatever the segment's end does while
// a write is in flight (work stealing shrinks it; a fallback to one stream grows it).
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { FLUSH_BYTES, pumpBody, type LiveSegment } from '../../main/engine/body-pump.js';
import { PartFile } from '../../main/engine/part-file.js';
import { makeTempDir, randomBytesSeeded, removeTempDirs } from '../helpers/files.js';

afterEach(removeTempDirs);

/** Pumps `chunks` into a fresh file; `duringWrite` runs while each write is in flight. */
async function pump(chunks: Buffer[], seg: LiveSegment, duringWrite: (seg: LiveSegment) => void) {
  const file = path.join(await makeTempDir(), 'f.part');
  const part = await PartFile.create(file);
  const write = part.write.bind(part);
  part.write = async (buffers, position) => {
    duringWrite(seg);
    await write(buffers, position);
  };
  await pumpBody({
    body: Readable.from(chunks),
    bodyOffset: 0,
    segment: seg,
    part,
    idleTimeoutMs: 10_000,
    signal: new AbortController().signal,
    onWritten: () => {},
  });
  await part.close();
  return fs.readFile(file);
}

const F = FLUSH_BYTES;
const C = F / 2;
const chunksOf = (body: Buffer, size: number) =>
  Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));

it('a chunk cut at the segment end stops the body, even when the end grows during the last write', async () => {
  const body = randomBytesSeeded(4 * F, 1);
  const chunks = [body.subarray(0, 2 * F), body.subarray(2 * F)];
  const seg: LiveSegment = { start: 0, end: 1.5 * F - 1, written: 0, claimed: 0 };
  // A fallback to one stream makes the head segment the whole file while its bytes are written.
  const onDisk = await pump(chunks, seg, (s) => (s.end = body.length - 1));
  expect(seg.written).toBe(1.5 * F);
  expect(onDisk.equals(body.subarray(0, 1.5 * F))).toBe(true);
});

it('a segment whose end grows while a full write is in flight keeps taking the body at the right offsets', async () => {
  const body = randomBytesSeeded(6 * C, 2);
  const seg: LiveSegment = { start: 0, end: 3 * C - 1, written: 0, claimed: 0 };
  const onDisk = await pump(chunksOf(body, C), seg, (s) => (s.end = body.length - 1));
  expect(seg.written).toBe(body.length);
  expect(onDisk.equals(body)).toBe(true);
});

it('a segment whose end shrinks while a write is in flight (a steal) stops at the new end', async () => {
  const body = randomBytesSeeded(6 * C, 3);
  const seg: LiveSegment = { start: 0, end: body.length - 1, written: 0, claimed: 0 };
  const onDisk = await pump(chunksOf(body, C), seg, (s) => (s.end = Math.max(s.claimed - 1, 2.5 * C - 1)));
  expect(seg.written).toBe(onDisk.length);
  expect(seg.written).toBeGreaterThanOrEqual(2.5 * C);
  expect(seg.written).toBeLessThan(body.length);
  expect(onDisk.equals(body.subarray(0, seg.written))).toBe(true);
});

it('a body that fails mid-way keeps every byte that arrived before the failure, then reports it', async () => {
  const body = randomBytesSeeded(3 * C, 4);
  const file = path.join(await makeTempDir(), 'f.part');
  const part = await PartFile.create(file);
  const seg: LiveSegment = { start: 0, end: body.length - 1, written: 0, claimed: 0 };
  const stream = new Readable({ read() {} });
  stream.push(body.subarray(0, C));
  setTimeout(() => stream.destroy(new Error('connection reset')), 20);
  const done = pumpBody({ body: stream, bodyOffset: 0, segment: seg, part, idleTimeoutMs: 10_000, signal: new AbortController().signal, onWritten: () => {} });
  await expect(done).rejects.toThrow('connection reset');
  await part.close();
  expect(seg.written).toBe(C);
  expect((await fs.readFile(file)).equals(body.subarray(0, C))).toBe(true);
});

it('a body read to its end exactly at the segment end is not destroyed (its socket can be reused)', async () => {
  const body = randomBytesSeeded(3 * C, 5);
  const seg: LiveSegment = { start: 0, end: body.length - 1, written: 0, claimed: 0 };
  const stream = Readable.from(chunksOf(body, C));
  const file = path.join(await makeTempDir(), 'f.part');
  const part = await PartFile.create(file);
  await pumpBody({ body: stream, bodyOffset: 0, segment: seg, part, idleTimeoutMs: 10_000, signal: new AbortController().signal, onWritten: () => {} });
  await part.close();
  expect(stream.readableEnded).toBe(true);
  expect((await fs.readFile(file)).equals(body)).toBe(true);
});
