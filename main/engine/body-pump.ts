// Moves one response body into the partial file: skips bytes the segment already has, stops at
// the segment's end (which work stealing may move while the body flows), and writes coalesced
// buffers at their file offsets. A byte is counted as written only after its write completed.
import type { Readable } from 'node:stream';
import { NetworkError } from './errors.js';
import type { PartFile } from './part-file.js';

/** Coalesce network chunks into writes of about this size: fewer syscalls, less per-chunk work. */
const FLUSH_BYTES = 128 * 1024;

/** The live state of a segment while a connection fills it. */
export interface LiveSegment {
  start: number;
  /** Inclusive; may shrink while the body flows (another connection stole the back half). */
  end: number | null;
  /** Bytes on disk: `[start, start + written)`. */
  written: number;
  /** Bytes taken off the wire (written or being written); steals never cut below this. */
  claimed: number;
}

export interface PumpOptions {
  body: Readable;
  /** File offset of the body's first byte: the range start for a 206, 0 for a 200. */
  bodyOffset: number;
  segment: LiveSegment;
  part: PartFile;
  idleTimeoutMs: number;
  signal: AbortSignal;
  /** Called after each completed write with what was written where. */
  onWritten: (buffers: readonly Buffer[], position: number, bytes: number) => void;
}

/** Resolves when the body ended or the segment is full; the caller checks which. */
export async function pumpBody(o: PumpOptions): Promise<void> {
  const { body, segment: seg, part } = o;
  let offset = o.bodyOffset;
  let buffers: Buffer[] = [];
  let buffered = 0;
  let bufferStart = -1;

  const flush = async () => {
    if (buffered === 0) return;
    const out = buffers;
    const n = buffered;
    const pos = bufferStart;
    buffers = [];
    buffered = 0;
    bufferStart = -1;
    await part.write(out, pos);
    seg.written += n;
    o.onWritten(out, pos, n);
  };

  const idle = setTimeout(() => {
    body.destroy(new NetworkError('TIMEOUT', `The server sent nothing for ${Math.round(o.idleTimeoutMs / 1000)} s.`));
  }, o.idleTimeoutMs);
  const onAbort = () => body.destroy();
  o.signal.addEventListener('abort', onAbort, { once: true });

  try {
    for await (const raw of body as AsyncIterable<Buffer>) {
      idle.refresh();
      let chunk = raw;
      const want = seg.start + seg.claimed;
      if (offset < want) {
        // Bytes we already have (a 200 body restarting at 0): read past them without writing.
        const skip = Math.min(chunk.length, want - offset);
        chunk = chunk.subarray(skip);
        offset += skip;
        if (chunk.length === 0) continue;
      }
      if (offset !== want) throw new Error(`body at ${offset} does not continue segment at ${want}`);
      const room = seg.end === null ? Infinity : seg.end + 1 - offset;
      if (room <= 0) break;
      // Bytes cut off here are dropped, so `offset` no longer tracks the body: this body must
      // stop, even if the segment's end moves out while the last write is in flight.
      const cut = chunk.length >= room;
      if (cut) chunk = chunk.subarray(0, room);
      if (bufferStart < 0) bufferStart = offset;
      buffers.push(chunk);
      buffered += chunk.length;
      seg.claimed += chunk.length;
      offset += chunk.length;
      if (cut) break;
      if (buffered >= FLUSH_BYTES) await flush();
    }
  } finally {
    clearTimeout(idle);
    o.signal.removeEventListener('abort', onAbort);
    try {
      // What arrived is the right data for its offsets, even if the body then failed: keep it.
      await flush();
    } finally {
      seg.claimed = seg.written;
      // A body read to its end has let go of its socket already; destroying it would only
      // build an error object (with a stack trace) per response.
      if (!body.destroyed && !body.readableEnded) body.destroy();
    }
  }
}
