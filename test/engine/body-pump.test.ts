// The pump writes each body byte at its own file offset, whatever the segment's end does while
// a write is in flight (work stealing shrinks it; a fallback to one stream grows it).
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { pumpBody, type LiveSegment } from '../../main/engine/body-pump.js';
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

it('a chunk cut at the segment end stops the body, even when the end grows during the last write', async () => {
  const body = randomBytesSeeded(400 * 1024, 1);
  const chunks = [body.subarray(0, 200 * 1024), body.subarray(200 * 1024)];
  const seg: LiveSegment = { start: 0, end: 150 * 1024 - 1, written: 0, claimed: 0 };
  // A fallback to one stream makes the head segment the whole file while its bytes are written.
  const onDisk = await pump(chunks, seg, (s) => (s.end = body.length - 1));
  expect(seg.written).toBeGreaterThanOrEqual(150 * 1024);
  expect(onDisk.subarray(0, seg.written).equals(body.subarray(0, seg.written))).toBe(true);
  expect(onDisk.length).toBe(seg.written);
});

it('a segment whose end grows while a full write is in flight keeps taking the body at the right offsets', async () => {
  const body = randomBytesSeeded(600 * 1024, 2);
  const chunks = Array.from({ length: 6 }, (_, i) => body.subarray(i * 100 * 1024, (i + 1) * 100 * 1024));
  const seg: LiveSegment = { start: 0, end: 300 * 1024 - 1, written: 0, claimed: 0 };
  const onDisk = await pump(chunks, seg, (s) => (s.end = body.length - 1));
  expect(seg.written).toBe(body.length);
  expect(onDisk.equals(body)).toBe(true);
});

it('a segment whose end shrinks while a write is in flight (a steal) stops at the new end', async () => {
  const body = randomBytesSeeded(600 * 1024, 3);
  const chunks = Array.from({ length: 6 }, (_, i) => body.subarray(i * 100 * 1024, (i + 1) * 100 * 1024));
  const seg: LiveSegment = { start: 0, end: body.length - 1, written: 0, claimed: 0 };
  const onDisk = await pump(chunks, seg, (s) => (s.end = Math.max(s.claimed - 1, 250 * 1024 - 1)));
  expect(seg.written).toBe(onDisk.length);
  expect(seg.written).toBeLessThanOrEqual(300 * 1024);
  expect(onDisk.equals(body.subarray(0, seg.written))).toBe(true);
});
