// Matrix rows about the body on the wire and the file behind it: bodies cut short, stalls and
// trickles, broken range answers, and the file changing on the server between requests.
import { expect } from 'vitest';
import type { FileSpec } from '../helpers/fault-server.js';
import { randomBytesSeeded } from '../helpers/files.js';
import { chunked, serveFile, statusLine, type RawHandler } from '../helpers/raw-server.js';
import {
  KiB,
  MiB,
  addAndPauseAfter,
  download,
  error,
  resumeAndFinish,
  sha,
  type Ctx,
  type Row,
  type RowRun,
} from './matrix-kit.js';

const SMALL = 256 * KiB + 7;
const MED = MiB + 13;
const BIG = 3 * MiB - 5;

/** Serves `spec` from the fault server (or the https one) under the row's prefix and downloads it. */
export async function viaFaultServer(ctx: Ctx, spec: FileSpec, connections = 4, name = 'f.bin', server = ctx.fault): Promise<RowRun> {
  const p = `${ctx.base}/${name}`;
  server.setFile(p, spec);
  const { snapshot, elapsedMs } = await download(ctx, server.url(p), { connections });
  return {
    snapshot,
    versions: { source: spec.body },
    requests: server.requests.filter((r) => r.path === p).length,
    bytesTwice: server.bytesServedTwice(p),
    elapsedMs,
  };
}

/** Routes `handler` on the raw server under the row's prefix and downloads it. */
export async function viaRawServer(
  ctx: Ctx,
  handler: RawHandler,
  versions: RowRun['versions'],
  options: { connections?: number; countsBytes?: boolean } = {},
): Promise<RowRun> {
  const p = `${ctx.base}/f.bin`;
  ctx.raw.route(p, handler);
  const { snapshot, elapsedMs } = await download(ctx, ctx.raw.url(p), options);
  return {
    snapshot,
    versions,
    requests: ctx.raw.requestsFor(p).length,
    bytesTwice: options.countsBytes === false ? null : ctx.raw.bytesServedTwice(p),
    elapsedMs,
  };
}

/** Downloads v1, pauses part-way, lets the server switch to `next`, resumes. */
async function changeWhilePaused(ctx: Ctx, first: FileSpec, next: FileSpec, connections = 4): Promise<RowRun> {
  const p = `${ctx.base}/f.bin`;
  ctx.fault.setFile(p, first);
  const started = Date.now();
  const id = await addAndPauseAfter(ctx, ctx.fault.url(p), 300 * KiB, connections);
  ctx.fault.setFile(p, next);
  const snapshot = await resumeAndFinish(ctx, id);
  return {
    snapshot,
    versions: { source: first.body, changed: next.body },
    requests: ctx.fault.requests.filter((r) => r.path === p).length,
    bytesTwice: ctx.fault.bytesServedTwice(p),
    elapsedMs: Date.now() - started,
  };
}

/** The completed file is a prefix of `source` that is shorter than it. */
function isShortPrefix(bytes: Buffer | null, source: Buffer): boolean {
  return bytes !== null && bytes.length < source.length && source.subarray(0, bytes.length).equals(bytes);
}

/** Every byte of `bytes` equals the byte at the same offset of `a` or of `b`: two versions spliced. */
function isSplice(bytes: Buffer | null, a: Buffer, b: Buffer): boolean {
  if (!bytes || bytes.length !== a.length) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== a[i] && bytes[i] !== b[i]) return false;
  return true;
}

const PACE = 256 * KiB; // bytes per second per connection, for rows that pause part-way

export const TRANSFER_ROWS: Row[] = [
  // ---------------------------------------------------------------- bodies cut short
  {
    group: 'Bodies cut short',
    scenario: 'Content-Length body cut by FIN once (the probe)',
    expect: [sha()],
    notes: 'The range for the rest starts at the first missing byte.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(MED, 1), faults: { dropAfter: { bytes: 200_000, times: 1, mode: 'fin' } } }),
  },
  {
    group: 'Bodies cut short',
    scenario: 'Content-Length body cut by RST once (the probe)',
    expect: [sha()],
    notes: 'ECONNRESET is retried like a clean close.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(MED, 2), faults: { dropAfter: { bytes: 200_000, times: 1, mode: 'rst' } } }),
  },
  {
    group: 'Bodies cut short',
    scenario: 'every response cut by FIN after 128 KiB',
    expect: [sha()],
    notes: 'Each attempt keeps its progress, so the retry counter never runs out. Supersedes the "cut three times" and "every response cut" rows of test/engine/faults.test.ts.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(MED, 3), faults: { dropAfter: { bytes: 128 * KiB, mode: 'fin' } } }),
    check: (run) => void expect(run.requests).toBeGreaterThan(8),
  },
  {
    group: 'Bodies cut short',
    scenario: 'every response cut by RST after 128 KiB',
    expect: [sha()],
    notes: 'Bytes still in the socket buffer when the reset lands are lost and fetched again.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(MED, 4), faults: { dropAfter: { bytes: 128 * KiB, mode: 'rst' } } }),
    check: (run) => void expect(run.requests).toBeGreaterThan(8),
  },
  {
    group: 'Bodies cut short',
    scenario: 'no range support, body cut by FIN once',
    expect: [sha()],
    notes: 'One stream starts again at byte 0 and skips what is already on disk; the prefix is fetched twice.',
    run: (ctx) =>
      viaFaultServer(ctx, { body: randomBytesSeeded(MED, 5), faults: { ignoreRange: true, dropAfter: { bytes: 300_000, times: 1, mode: 'fin' } } }),
  },
  {
    group: 'Bodies cut short',
    scenario: 'no range support, every response reset at the same byte',
    expect: [error('CONNECTION_RESET')],
    notes: 'No byte past the cut ever arrives: after the retries the download fails; the .part stays for a later retry.',
    run: (ctx) =>
      viaFaultServer(ctx, { body: randomBytesSeeded(SMALL, 6), faults: { ignoreRange: true, dropAfter: { bytes: 100_000, mode: 'rst' } } }, 1),
  },
  {
    group: 'Bodies cut short',
    scenario: 'no range support, every response closed (FIN) short of its Content-Length',
    expect: [error('CONNECTION_RESET')],
    notes: 'Node reports a body shorter than its Content-Length as a reset ("aborted").',
    run: (ctx) =>
      viaFaultServer(ctx, { body: randomBytesSeeded(SMALL, 7), faults: { ignoreRange: true, dropAfter: { bytes: 100_000, mode: 'fin' } } }, 1),
  },
  {
    group: 'Bodies cut short',
    scenario: 'chunked body (no length) cut by FIN once',
    expect: [sha()],
    notes: 'A chunked body without its last chunk is an error, so the stream is retried, skipping the bytes it has.',
    run: (ctx) =>
      viaFaultServer(ctx, { body: randomBytesSeeded(MED, 8), faults: { chunked: true, dropAfter: { bytes: 300_000, times: 1, mode: 'fin' } } }),
  },
  {
    group: 'Bodies cut short',
    scenario: 'chunked body missing its terminating chunk, once',
    expect: [sha()],
    notes: 'Every data byte arrived, but without `0\\r\\n\\r\\n` the end is not proven: the body is fetched again.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 9);
      return viaRawServer(
        ctx,
        (req) =>
          req.n === 1
            ? { head: [statusLine(200), 'Transfer-Encoding: chunked'], body: chunked(body, 64 * KiB, false), after: 'fin' }
            : { head: [statusLine(200), 'Transfer-Encoding: chunked'], body: chunked(body, 64 * KiB) },
        { source: body },
        { countsBytes: false },
      );
    },
  },
  {
    group: 'Bodies cut short',
    scenario: 'chunked body missing its terminating chunk, every time',
    expect: [error('CONNECTION_RESET')],
    notes: 'Completeness can never be proven, so nothing is presented as complete (the .part keeps every byte).',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 10);
      return viaRawServer(
        ctx,
        () => ({ head: [statusLine(200), 'Transfer-Encoding: chunked'], body: chunked(body, 64 * KiB, false), after: 'fin' }),
        { source: body },
        { countsBytes: false },
      );
    },
  },
  {
    group: 'Bodies cut short',
    scenario: 'close-delimited body (no Content-Length, Connection: close), complete',
    expect: [sha()],
    notes: 'Size unknown: one stream, the size is recorded when the body ends.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(MED, 11), faults: { noContentLength: true } }),
    check: (run) => void expect(run.snapshot.size).toBe(MED),
  },
  {
    group: 'Bodies cut short',
    scenario: 'close-delimited body cut short by FIN',
    expect: [
      {
        kind: 'limit',
        label: 'completed with the prefix that arrived (undetectable: no length, no ranges)',
        matches: (a, run) => a.status === 'completed' && isShortPrefix(a.bytes, run.versions.source),
      },
    ],
    notes:
      'HTTP/1.0-style framing: a FIN is the end of the body, so a cut is indistinguishable from the end. Only a checksum catches it; a server advertising ranges could be asked for `bytes=N-` to confirm the end (not done today).',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 12);
      return viaRawServer(ctx, () => ({ head: [statusLine(200), 'Connection: close'], body, cutAt: 100_000, after: 'fin' }), { source: body });
    },
    check: (run) => void expect(run.snapshot.size).toBe(100_000),
  },
  {
    group: 'Bodies cut short',
    scenario: 'close-delimited body cut by RST once',
    expect: [sha()],
    notes: 'A reset, unlike a FIN, is an error: the stream is fetched again.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 13);
      return viaRawServer(
        ctx,
        (req) =>
          req.n === 1
            ? { head: [statusLine(200), 'Connection: close'], body, fileOffset: 0, cutAt: 100_000, after: 'rst' }
            : { head: [statusLine(200), 'Connection: close'], body, fileOffset: 0 },
        { source: body },
      );
    },
  },

  // ---------------------------------------------------------------- stalls and trickles
  {
    group: 'Stalls and trickles',
    scenario: 'two connections stall mid-body (socket open, silent)',
    expect: [sha()],
    notes: 'The idle timeout (1 s here) drops them; the ranges resume where they stopped. Supersedes the stall row of test/engine/faults.test.ts.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(MED, 14), faults: { stallAfter: { bytes: 150_000, times: 2 } } }),
  },
  {
    group: 'Stalls and trickles',
    scenario: 'no range support, the stream stalls once',
    expect: [sha()],
    notes: 'The single stream starts over after the idle timeout.',
    run: (ctx) =>
      viaFaultServer(ctx, { body: randomBytesSeeded(MED, 15), faults: { ignoreRange: true, stallAfter: { bytes: 200_000, times: 1 } } }, 1),
  },
  {
    group: 'Stalls and trickles',
    scenario: 'response headers never arrive (first request)',
    expect: [sha()],
    notes: 'The response timeout (the idle timeout) ends the wait; the probe is retried.',
    run: (ctx) => {
      const body = randomBytesSeeded(MED, 16);
      return viaRawServer(ctx, (req) => (req.n === 1 ? 'hang' : serveFile({ body }, req)), { source: body });
    },
  },
  {
    group: 'Stalls and trickles',
    scenario: 'slow trickle: 128 KiB/s on one connection, about 3× longer than the idle timeout',
    settings: { idleTimeoutMs: 700 },
    expect: [sha()],
    notes: 'A slow body that keeps moving is not a stall: one request, never dropped.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(SMALL, 17), faults: { throttle: 128 * KiB } }, 1),
    check: (run) => {
      expect(run.requests).toBe(1);
      expect(run.elapsedMs).toBeGreaterThan(1500);
    },
  },
  {
    group: 'Stalls and trickles',
    scenario: 'drip: 64 KiB bursts with silences of 0.6× the idle timeout (1 s)',
    expect: [sha()],
    notes: 'Each silence is shorter than the idle timeout, so the connection is kept: one request.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 18);
      return viaRawServer(
        ctx,
        () => ({ head: [statusLine(200), 'Accept-Ranges: none', `Content-Length: ${body.length}`], body, fileOffset: 0, pace: { bytes: 64 * KiB, everyMs: 600 } }),
        { source: body },
        { connections: 1 },
      );
    },
    check: (run) => {
      expect(run.requests).toBe(1);
      expect(run.elapsedMs).toBeGreaterThan(1500);
    },
  },

  // ---------------------------------------------------------------- range bugs
  {
    group: 'Range bugs',
    scenario: '200 with the whole file to every Range request',
    expect: [sha()],
    notes: 'Accept-Ranges is only a claim; the first 200 to a range switches to one stream, keeping the prefix.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(BIG, 19), faults: { ignoreRange: true } }, 8),
    check: (run) => void expect(run.snapshot.resumable).toBe(false),
  },
  {
    group: 'Range bugs',
    scenario: 'Content-Range without the `bytes` unit',
    expect: [sha()],
    notes: 'An unparseable Content-Range is never trusted: one stream.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(BIG, 20), faults: { contentRangeNoUnit: true } }, 8),
  },
  {
    group: 'Range bugs',
    scenario: 'Content-Range with an exclusive end (off by one)',
    expect: [sha()],
    notes: 'A range other than the one asked for is never written; one stream.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(BIG, 21), faults: { contentRangeOffByOne: true } }, 8),
  },
  {
    group: 'Range bugs',
    scenario: '206 body longer than asked (1 KiB of the next bytes)',
    expect: [sha()],
    notes: 'Content-Length disagrees with Content-Range: refused before a byte is written.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(BIG, 22), faults: { rangeBodyLength: 'longer' } }, 8),
  },
  {
    group: 'Range bugs',
    scenario: '206 body shorter than asked (half)',
    expect: [sha()],
    notes: 'Content-Length disagrees with Content-Range: refused before a byte is written.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(BIG, 23), faults: { rangeBodyLength: 'shorter' } }, 8),
  },

  // ---------------------------------------------------------------- the file changes
  {
    group: 'The file changes on the server',
    scenario: 'replaced between requests of one download (strong ETag, If-Range honoured)',
    expect: [sha('changed')],
    notes: 'If-Range makes the server send 200 with the new file: started over, never spliced. Supersedes the faults.test.ts row.',
    run: async (ctx) => {
      const v2 = randomBytesSeeded(MED, 25);
      const run = await viaFaultServer(ctx, {
        body: randomBytesSeeded(MED, 24),
        faults: { changeAfterRequests: { requests: 2, body: v2 }, throttle: 2 * MiB },
      });
      return { ...run, versions: { ...run.versions, changed: v2 } };
    },
    check: (run) => void expect(run.snapshot.restartReason).toMatch(/changed/),
  },
  {
    group: 'The file changes on the server',
    scenario: 'replaced while paused (strong ETag, If-Range honoured)',
    expect: [sha('changed')],
    notes: 'The resume sends If-Range; the 200 it gets means start over.',
    run: (ctx) =>
      changeWhilePaused(
        ctx,
        { body: randomBytesSeeded(MED, 26), faults: { throttle: PACE } },
        { body: randomBytesSeeded(MED, 27) },
      ),
  },
  {
    group: 'The file changes on the server',
    scenario: 'server ignores If-Range: 206 of the new version, new ETag in the 206',
    expect: [sha('changed')],
    notes: 'The ETag in the 206 differs from the probe\'s: caught before a byte is written.',
    run: (ctx) =>
      changeWhilePaused(
        ctx,
        { body: randomBytesSeeded(MED, 28), faults: { throttle: PACE } },
        { body: randomBytesSeeded(MED, 29), faults: { ignoreIfRange: true } },
      ),
  },
  {
    group: 'The file changes on the server',
    scenario: 'server ignores If-Range, Last-Modified only (no ETag), same size',
    expect: [sha('changed')],
    notes: 'The Last-Modified in the 206 differs from the probe\'s.',
    run: (ctx) =>
      changeWhilePaused(
        ctx,
        { body: randomBytesSeeded(MED, 30), etag: null, faults: { throttle: PACE } },
        { body: randomBytesSeeded(MED, 31), etag: null, faults: { ignoreIfRange: true } },
      ),
  },
  {
    group: 'The file changes on the server',
    scenario: 'weak ETags only, same size',
    expect: [sha('changed')],
    notes: 'A weak ETag cannot go in If-Range, but a different one in the 206 still shows the change.',
    run: (ctx) =>
      changeWhilePaused(
        ctx,
        { body: randomBytesSeeded(MED, 32), etag: 'W/"v1"', lastModified: null, faults: { throttle: PACE } },
        { body: randomBytesSeeded(MED, 33), etag: 'W/"v2"', lastModified: null },
      ),
  },
  {
    group: 'The file changes on the server',
    scenario: 'weak ETag that does not change (server bug), size changes',
    expect: [sha('changed')],
    notes: 'The Content-Range total differs from the probed size.',
    run: (ctx) =>
      changeWhilePaused(
        ctx,
        { body: randomBytesSeeded(MED, 34), etag: 'W/"same"', lastModified: null, faults: { throttle: PACE } },
        { body: randomBytesSeeded(MED + 1000, 35), etag: 'W/"same"', lastModified: null },
      ),
  },
  {
    group: 'The file changes on the server',
    scenario: 'no validators at all, size changes',
    expect: [sha('changed')],
    notes: 'Without ETag or Last-Modified only the length can tell: the Content-Range total (or a 416) does.',
    run: (ctx) =>
      changeWhilePaused(
        ctx,
        { body: randomBytesSeeded(MED, 36), etag: null, lastModified: null, faults: { throttle: PACE } },
        { body: randomBytesSeeded(MED - 100_000, 37), etag: null, lastModified: null },
      ),
  },
  {
    group: 'The file changes on the server',
    scenario: 'no validators at all, same size',
    expect: [
      sha('changed'),
      {
        kind: 'limit',
        label: 'completed with the two versions spliced (undetectable over HTTP)',
        matches: (a, run) => a.status === 'completed' && a.version === null && isSplice(a.bytes, run.versions.source, run.versions.changed!),
      },
    ],
    notes:
      'Nothing in the 206 differs: no validator, same length. Only a checksum (or re-fetching a few KiB before the resume point and comparing them with the disk) can catch this.',
    run: (ctx) =>
      changeWhilePaused(
        ctx,
        { body: randomBytesSeeded(MED, 38), etag: null, lastModified: null, faults: { throttle: PACE } },
        { body: randomBytesSeeded(MED, 39), etag: null, lastModified: null },
      ),
  },
  {
    group: 'The file changes on the server',
    scenario: 'a new version on every request',
    expect: [error('FILE_UNSTABLE')],
    notes: 'Starting over more than 3 times in one run gives up with a clear error.',
    run: (ctx) => {
      const versions = new Map<number, Buffer>();
      const version = (n: number) => versions.get(n) ?? versions.set(n, randomBytesSeeded(SMALL, 100 + n)).get(n)!;
      return viaRawServer(ctx, (req) => serveFile({ body: version(req.n), etag: `"v${req.n}"` }, req), { source: version(1) }, { countsBytes: false });
    },
  },
];
