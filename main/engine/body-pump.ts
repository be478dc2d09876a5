// Moves one response body into the partial file: skips bytes the segment already has, stops at
// the segment's end (which work stealing may move while the body flows), and writes coalesced
// buffers at their file offsets. A byte is counted as written only after its write completed.
//
// Driven by 'data' events rather than `for await`: no promise per chunk, and a body that ends
// exactly at the segment's end is read to its end, so its keep-alive socket goes back to the pool
// instead of being destroyed (which costs a new connection and an error object per request).
import type { Readable } from 'node:stream';
import { NetworkError } from './errors.js';
import type { PartFile } from './part-file.js';

/** Coalesce network chunks into writes of about this size: fewer syscalls, less per-chunk work. */
export const FLUSH_BYTES = 512 * 1024;

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

/**
 * Resolves when the body ended or the segment is full (the caller checks which); rejects with
 * the body's error, after writing every byte that arrived before it.
 */
export function pumpBody(o: PumpOptions): Promise<void> {
  const { body, segment: seg, part } = o;
  let offset = o.bodyOffset;
  let buffers: Buffer[] = [];
  let buffered = 0;
  let bufferStart = -1;
  let writing = false;
  /** No more bytes are taken from this body: it ended, failed, was cut or aborted. */
  let stopped = false;
  let failure: unknown = null;
  let settled = false;

  return new Promise<void>((resolve, reject) => {
    const idle = setTimeout(() => {
      body.destroy(new NetworkError('TIMEOUT', `The server sent nothing for ${Math.round(o.idleTimeoutMs / 1000)} s.`));
    }, o.idleTimeoutMs);
    const onAbort = () => body.destroy();

    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      o.signal.removeEventListener('abort', onAbort);
      body.off('data', onData);
      seg.claimed = seg.written;
      // A body read to its end has let go of its socket already; one cut short holds bytes we
      // do not want, so its socket cannot be reused.
      if (!body.destroyed && !body.readableEnded) body.destroy();
      if (failure) reject(failure);
      else resolve();
    };

    /** Writes what is buffered (one write at a time, so `written` grows in order). */
    const flush = () => {
      if (writing) return;
      if (buffered === 0) {
        if (stopped) settle();
        return;
      }
      const out = buffers;
      const n = buffered;
      const pos = bufferStart;
      buffers = [];
      buffered = 0;
      bufferStart = -1;
      writing = true;
      part.write(out, pos).then(
        () => {
          writing = false;
          seg.written += n;
          o.onWritten(out, pos, n);
          if (stopped || buffered >= FLUSH_BYTES) flush();
          if (!stopped && body.isPaused()) body.resume();
        },
        (error: unknown) => {
          writing = false;
          // A failed write (disk full) is the error that matters; drop what is still buffered.
          failure = error;
          buffers = [];
          buffered = 0;
          stop();
        },
      );
    };

    const stop = () => {
      if (stopped) {
        if (!writing) flush();
        return;
      }
      stopped = true;
      flush();
    };

    const onData = (raw: Buffer) => {
      if (stopped) {
        // More than the segment wants (its back half was stolen): stop the transfer now.
        body.destroy();
        return;
      }
      idle.refresh();
      let chunk = raw;
      const want = seg.start + seg.claimed;
      if (offset < want) {
        // Bytes we already have (a 200 body restarting at 0): read past them without writing.
        const skip = Math.min(chunk.length, want - offset);
        chunk = chunk.subarray(skip);
        offset += skip;
        if (chunk.length === 0) return;
      }
      if (offset !== want) {
        failure = new Error(`body at ${offset} does not continue segment at ${want}`);
        stop();
        return;
      }
      const room = seg.end === null ? Infinity : seg.end + 1 - offset;
      if (room <= 0) {
        stop();
        return;
      }
      // Bytes cut off here are dropped, so `offset` no longer tracks the body: this body must
      // stop, even if the segment's end moves out while the last write is in flight.
      const cut = chunk.length >= room;
      if (cut) chunk = chunk.subarray(0, room);
      if (bufferStart < 0) bufferStart = offset;
      buffers.push(chunk);
      buffered += chunk.length;
      seg.claimed += chunk.length;
      offset += chunk.length;
      if (cut) {
        // Usually the body's last byte: let its end arrive, so the socket can be reused.
        stopped = true;
        setImmediate(flush);
        return;
      }
      if (buffered >= FLUSH_BYTES) {
        // One write in flight and one buffer filling: more than that waits for the disk.
        if (writing) body.pause();
        flush();
      }
    };

    body.on('data', onData);
    body.once('end', stop);
    body.once('close', stop);
    body.on('error', (error: unknown) => {
      // What arrived is the right data for its offsets, even if the body then failed: keep it.
      if (!stopped && !failure) failure = error;
      stop();
    });
    if (o.signal.aborted) body.destroy();
    else o.signal.addEventListener('abort', onAbort, { once: true });
  });
}
