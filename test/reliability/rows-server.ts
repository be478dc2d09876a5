// Matrix rows about what the server says rather than how the bytes flow: statuses and
// Retry-After, redirects, broken or hostile headers, error pages where the file should be, the
// length changing, 416 on resume, and hostile file names.
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { randomBytesSeeded } from '../helpers/files.js';
import { HOSTILE_NAMES } from '../helpers/hostile-names.js';
import { emptyReply, serveFile, statusLine, withoutHeader, type RawReply, type RawRequest } from '../helpers/raw-server.js';
import { KiB, MiB, addAndPauseAfter, download, error, resumeAndFinish, sha, storedBytes, type Ctx, type Row, type RowRun } from './matrix-kit.js';
import { viaFaultServer, viaRawServer } from './rows-transfer.js';

const SMALL = 256 * KiB + 7;
const MED = MiB + 13;

/**
 * Node's HTTP parser (llhttp, strict mode) refuses malformed responses before the engine sees
 * them, and got refuses redirects to schemes other than http(s); the engine reports both as a
 * retryable NETWORK_ERROR whose message names the cause. (A distinct, non-retried code such as
 * BAD_RESPONSE would be clearer; if the engine adopts one, change it here.)
 */
const PROTOCOL_ERROR = 'NETWORK_ERROR';

/**
 * The code the engine should give when a server sends a web page where the file was (an expired
 * session, a login wall). The engine has no such check yet; the name is a proposal.
 */
export const HTML_PAGE_CODE = 'HTML_INSTEAD_OF_FILE';

/** The code for a content-encoded body the engine will not decode (a proposal, like HTML_PAGE_CODE). */
export const ENCODED_BODY_CODE = 'UNEXPECTED_ENCODING';

const LOGIN_PAGE = Buffer.from('<!doctype html><title>Session expired</title><p>Your session has expired. Please sign in again.</p>\n');

function htmlPage(): RawReply {
  return { head: [statusLine(200), 'Content-Type: text/html; charset=utf-8', `Content-Length: ${LOGIN_PAGE.length}`], body: LOGIN_PAGE };
}

/** serveFile with its head lines rewritten. */
function bent(body: Buffer, req: RawRequest, head: (lines: string[]) => string[], extra: Partial<RawReply> = {}): RawReply {
  const reply = serveFile({ body }, req);
  return { ...reply, head: head(reply.head), ...extra };
}

function contentLengthOf(head: string[]): string {
  return head.find((l) => /^content-length:/i.test(l))!.split(':')[1]!.trim();
}

/** A 416 on resume: one connection, paused part-way, then the server keeps only `keep(X)` bytes. */
async function shrinkWhilePaused(ctx: Ctx, seed: number, keep: (onDisk: number) => number): Promise<RowRun> {
  const p = `${ctx.base}/f.bin`;
  // The same ETag and date before and after: the server does not admit the change, so If-Range
  // matches and the range past the new end is answered 416.
  const validators = { etag: '"same"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' };
  const v1 = randomBytesSeeded(MED, seed);
  ctx.fault.setFile(p, { body: v1, ...validators, faults: { throttle: 256 * KiB } });
  const started = Date.now();
  const id = await addAndPauseAfter(ctx, ctx.fault.url(p), 300 * KiB, 1);
  const v2 = v1.subarray(0, keep(storedBytes(ctx, id)));
  ctx.fault.setFile(p, { body: v2, ...validators });
  const snapshot = await resumeAndFinish(ctx, id);
  return {
    snapshot,
    versions: { source: v1, changed: v2 },
    requests: ctx.fault.requests.filter((r) => r.path === p).length,
    bytesTwice: ctx.fault.bytesServedTwice(p),
    elapsedMs: Date.now() - started,
  };
}

/** A file behind redirects; the request count adds the hops. */
async function viaRedirects(ctx: Ctx, body: Buffer, start: (target: string) => string): Promise<RowRun> {
  const p = `${ctx.base}/real/file.bin`;
  ctx.fault.setFile(p, { body });
  const url = start(ctx.fault.url(p, 'localhost'));
  const { snapshot, elapsedMs } = await download(ctx, url);
  const hops = ctx.redirects.requests.filter((r) => r.path.startsWith(`${ctx.base}/`)).length;
  return {
    snapshot,
    versions: { source: body },
    requests: hops + ctx.fault.requests.filter((r) => r.path === p).length,
    bytesTwice: ctx.fault.bytesServedTwice(p),
    elapsedMs,
  };
}

/** A hostile Content-Disposition end to end: the file lands whole, inside the folder, named safely. */
function nameRow(label: string, expectedName?: string): Row {
  const entry = HOSTILE_NAMES.find((n) => n.label === label);
  if (!entry) throw new Error(`no hostile name labelled ${label}`);
  return {
    group: 'Hostile Content-Disposition names',
    scenario: `${label}: \`${entry.header.length > 70 ? `${entry.header.slice(0, 67)}...` : entry.header}\``,
    expect: [sha()],
    notes: expectedName ? `Saved as \`${expectedName}\`.` : 'Saved under a safe name inside the folder.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(20_000, 200 + label.length), contentDisposition: entry.header }, 1, 'dl'),
    check: (run, ctx) => {
      const name = run.snapshot.fileName!;
      expect(path.dirname(path.resolve(ctx.h.dir, name))).toBe(ctx.h.dir);
      expect(name).not.toMatch(/[/\\\p{Cc}\p{Bidi_Control}]/u);
      expect(Buffer.byteLength(`${name}.part`)).toBeLessThanOrEqual(255);
      expect(name.split('.')[0]!.trimEnd()).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
      if (expectedName) expect(name).toBe(expectedName);
    },
  };
}

export const SERVER_ROWS: Row[] = [
  // ---------------------------------------------------------------- statuses
  {
    group: 'Statuses and Retry-After',
    scenario: '429 with `Retry-After: 1` (seconds) on the probe',
    expect: [sha()],
    notes: 'The server\'s wait (1 s) is used instead of the 20-200 ms backoff.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(MED, 40), faults: { status: { code: 429, times: 1, retryAfter: '1' } } }),
    check: (run) => void expect(run.elapsedMs).toBeGreaterThanOrEqual(900),
  },
  {
    group: 'Statuses and Retry-After',
    scenario: '503 with Retry-After as an HTTP date on the probe',
    expect: [sha()],
    notes: 'An HTTP-date is read as GMT and waited for.',
    run: (ctx) =>
      viaFaultServer(ctx, {
        body: randomBytesSeeded(MED, 41),
        faults: { status: { code: 503, times: 1, retryAfter: new Date(Date.now() + 1500).toUTCString() } },
      }),
    check: (run) => void expect(run.elapsedMs).toBeGreaterThanOrEqual(400),
  },
  {
    group: 'Statuses and Retry-After',
    scenario: '429 with `Retry-After: 1` on two range requests mid-download',
    expect: [sha()],
    notes: 'Per-segment retries honour Retry-After too; the other connections keep going.',
    run: (ctx) => {
      const body = randomBytesSeeded(MED, 42);
      return viaRawServer(ctx, (req) => (req.n === 2 || req.n === 3 ? emptyReply(429, ['Retry-After: 1']) : serveFile({ body }, req)), {
        source: body,
      });
    },
    check: (run) => void expect(run.elapsedMs).toBeGreaterThanOrEqual(900),
  },
  {
    group: 'Statuses and Retry-After',
    scenario: 'three 500s, then the server recovers',
    expect: [sha()],
    notes: '5xx is retried with backoff.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(MED, 43), faults: { status: { code: 500, times: 3 } } }),
  },
  {
    group: 'Statuses and Retry-After',
    scenario: '503 that never passes',
    expect: [error('HTTP_UNAVAILABLE')],
    notes: 'After the retries (8) the download fails; nothing is created.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(SMALL, 44), faults: { status: { code: 503, times: 1000 } } }),
    check: (_run, ctx) => void expect(ctx.h.files()).toEqual([]),
  },
  {
    group: 'Statuses and Retry-After',
    scenario: 'the file is removed mid-download (404 to the range requests)',
    expect: [error('HTTP_NOT_FOUND')],
    notes: '4xx other than 408/429 is final: no retries, the .part is kept, no final file.',
    run: (ctx) => {
      const body = randomBytesSeeded(MED, 45);
      return viaRawServer(ctx, (req) => (req.n === 1 ? serveFile({ body }, req) : emptyReply(404)), { source: body });
    },
  },

  // ---------------------------------------------------------------- redirects
  {
    group: 'Redirects',
    scenario: 'a chain of 4 redirects across host name and port, relative and absolute',
    expect: [sha()],
    notes: 'Ranges go straight to the final URL, not through the chain again.',
    run: (ctx) => viaRedirects(ctx, randomBytesSeeded(MED, 46), (target) => ctx.redirects.chain(`${ctx.base}/c`, 4, target)),
    check: (run, ctx) => {
      expect(run.snapshot.finalUrl).toBe(ctx.fault.url(`${ctx.base}/real/file.bin`, 'localhost'));
      expect(ctx.redirects.requests.filter((r) => r.path.startsWith(`${ctx.base}/`))).toHaveLength(4);
    },
  },
  {
    group: 'Redirects',
    scenario: 'relative Locations only (`next`, then `../files/f.bin`)',
    expect: [sha()],
    notes: 'Resolved against the URL of each hop.',
    run: async (ctx) => {
      const body = randomBytesSeeded(MED, 47);
      const target = `${ctx.base}/files/f.bin`;
      ctx.raw.route(`${ctx.base}/a/start`, () => ({ head: [statusLine(302), 'Location: next', 'Content-Length: 0'] }));
      ctx.raw.route(`${ctx.base}/a/next`, () => ({ head: [statusLine(301), 'Location: ../files/f.bin', 'Content-Length: 0'] }));
      ctx.raw.route(target, (req) => serveFile({ body }, req));
      const { snapshot, elapsedMs } = await download(ctx, ctx.raw.url(`${ctx.base}/a/start`));
      return {
        snapshot,
        versions: { source: body },
        requests: ctx.raw.requests.filter((r) => r.path.startsWith(`${ctx.base}/`)).length,
        bytesTwice: ctx.raw.bytesServedTwice(target),
        elapsedMs,
      };
    },
    check: (run, ctx) => void expect(run.snapshot.finalUrl).toBe(ctx.raw.url(`${ctx.base}/files/f.bin`)),
  },
  {
    group: 'Redirects',
    scenario: 'a redirect loop (a → b → a, across host names)',
    expect: [error('TOO_MANY_REDIRECTS')],
    notes: 'got stops after 10 hops; not retried.',
    run: async (ctx) => {
      const { snapshot, elapsedMs } = await download(ctx, ctx.redirects.loop(`${ctx.base}/loop`));
      const requests = ctx.redirects.requests.filter((r) => r.path.startsWith(`${ctx.base}/`)).length;
      return { snapshot, versions: { source: Buffer.alloc(0) }, requests, bytesTwice: null, elapsedMs };
    },
    check: (_run, ctx) => void expect(ctx.h.files()).toEqual([]),
  },
  {
    group: 'Redirects',
    scenario: 'a redirect to `file:///etc/passwd`',
    expect: [error('INVALID_URL')],
    notes:
      'got refuses the scheme ("Unsupported protocol: file:"); nothing is read or written, and the redirect is not asked again.',
    run: async (ctx) => {
      const p = `${ctx.base}/evil`;
      ctx.raw.route(p, () => ({ head: [statusLine(302), 'Location: file:///etc/passwd', 'Content-Length: 0'] }));
      const { snapshot, elapsedMs } = await download(ctx, ctx.raw.url(p));
      return { snapshot, versions: { source: Buffer.alloc(0) }, requests: ctx.raw.requestsFor(p).length, bytesTwice: null, elapsedMs };
    },
    check: (run, ctx) => {
      expect(run.snapshot.error?.message).toMatch(/file:/);
      expect(run.requests).toBeLessThanOrEqual(2);
      expect(ctx.h.files()).toEqual([]);
    },
  },

  // ---------------------------------------------------------------- headers
  {
    group: 'Broken headers and encodings',
    scenario: 'gzip body although `Accept-Encoding: identity` was sent',
    expect: [sha(), error(ENCODED_BODY_CODE)],
    notes:
      'The file is the decoded body. Saving the gzip bytes under the file\'s name (what a client without decompression does) is the one wrong answer; refusing with a clear error would be acceptable.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 50);
      const gz = gzipSync(body);
      return viaRawServer(
        ctx,
        () => ({ head: [statusLine(200), 'Content-Type: application/octet-stream', 'Content-Encoding: gzip', `Content-Length: ${gz.length}`], body: gz }),
        { source: body },
        { countsBytes: false },
      );
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'two conflicting Content-Length headers',
    expect: [error(PROTOCOL_ERROR)],
    notes: 'Node refuses the response ("Duplicate Content-Length"): never a short file presented as complete.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 51);
      return viaRawServer(ctx, (req) => bent(body, req, (h) => [...h, 'Content-Length: 1000']), { source: body });
    },
    check: (run) => void expect(run.snapshot.error?.message).toMatch(/Content-Length/),
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'the same Content-Length header twice',
    expect: [error(PROTOCOL_ERROR)],
    notes: 'RFC 9110 lets a client accept identical duplicates; Node\'s strict parser refuses them, so such a server cannot be downloaded from.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 52);
      return viaRawServer(ctx, (req) => bent(body, req, (h) => [...h, `Content-Length: ${contentLengthOf(h)}`]), { source: body });
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'Content-Length as a list (`N, N`)',
    expect: [error(PROTOCOL_ERROR)],
    notes: 'Refused by the parser ("Invalid character in Content-Length").',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 53);
      return viaRawServer(
        ctx,
        (req) => bent(body, req, (h) => [...withoutHeader(h, 'content-length'), `Content-Length: ${contentLengthOf(h)}, ${contentLengthOf(h)}`]),
        { source: body },
      );
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'a header line without a colon',
    expect: [error(PROTOCOL_ERROR)],
    notes: 'Refused by the parser ("Invalid header token").',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 54);
      return viaRawServer(ctx, (req) => bent(body, req, (h) => [h[0]!, 'X-Garbage this line has no colon', ...h.slice(1)]), { source: body });
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'an obsolete folded header line',
    expect: [error(PROTOCOL_ERROR)],
    notes: 'Refused by the parser; RFC 9112 lets a client reject obs-fold.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 55);
      return viaRawServer(ctx, (req) => bent(body, req, (h) => [h[0]!, 'X-Folded: first', '  second', ...h.slice(1)]), { source: body });
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'bare LF line endings',
    expect: [error(PROTOCOL_ERROR)],
    notes: 'Refused by the parser ("Missing expected CR").',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 56);
      return viaRawServer(ctx, (req) => bent(body, req, (h) => h, { eol: '\n' }), { source: body });
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'a 12 KiB cookie header (large but under the limit)',
    expect: [sha()],
    notes: 'Node accepts up to 16 KiB of headers.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 57);
      return viaRawServer(ctx, (req) => bent(body, req, (h) => [...h, `Set-Cookie: session=${'a'.repeat(12 * KiB)}`]), { source: body });
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: '64 KiB of response headers',
    expect: [error(PROTOCOL_ERROR)],
    notes: 'Refused by the parser ("Header overflow"): memory stays bounded.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 58);
      return viaRawServer(ctx, (req) => bent(body, req, (h) => [...h, `X-Big: ${'a'.repeat(64 * KiB)}`]), { source: body });
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'a blank line after a correct body (a PHP script\'s trailing newline)',
    expect: [sha()],
    notes: 'The parser skips empty lines between messages.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 59);
      return viaRawServer(
        ctx,
        (req) => {
          const r = serveFile({ body }, req);
          return { ...r, body: Buffer.concat([r.body as Buffer, Buffer.from('\n')]), fileOffset: undefined, after: 'fin' };
        },
        { source: body },
        { countsBytes: false },
      );
    },
  },
  {
    group: 'Broken headers and encodings',
    scenario: 'text after a correct body (a PHP warning printed after readfile())',
    expect: [sha()],
    notes:
      'Every response carries all the bytes its Content-Length promised; the text after them breaks only the connection (curl: "Excess found"). Not a reason to lose the download.',
    run: (ctx) => {
      const body = randomBytesSeeded(SMALL, 60);
      const warning = Buffer.from('<br />\n<b>Warning</b>:  Cannot modify header information in /var/www/download.php on line 12<br />\n');
      return viaRawServer(
        ctx,
        (req) => {
          const r = serveFile({ body }, req);
          return { ...r, body: Buffer.concat([r.body as Buffer, warning]), fileOffset: undefined, after: 'fin' };
        },
        { source: body },
        { countsBytes: false },
      );
    },
  },

  // ---------------------------------------------------------------- pages and lengths
  {
    group: 'Error pages, lengths and 416',
    scenario: 'an HTML page (200, text/html, another length) answers one range request',
    expect: [sha()],
    notes: 'A 200 of another length to a range means "the file changed": started over, and the next probe gets the file again.',
    run: (ctx) => {
      const body = randomBytesSeeded(MED, 160);
      return viaRawServer(ctx, (req) => (req.n === 3 ? htmlPage() : serveFile({ body }, req)), { source: body });
    },
  },
  {
    group: 'Error pages, lengths and 416',
    scenario: 'the session expires: an HTML page answers every request after the probe',
    expect: [error(HTML_PAGE_CODE)],
    notes:
      'The range requests get a text/html page; the engine starts over and its new probe gets the page too. The file must not be replaced by the page.',
    run: (ctx) => {
      const body = randomBytesSeeded(MED, 61);
      return viaRawServer(ctx, (req) => (req.n === 1 ? serveFile({ body }, req) : htmlPage()), { source: body });
    },
  },
  {
    group: 'Error pages, lengths and 416',
    scenario: 'no range support: the stream is cut, and the retry gets an HTML page',
    expect: [error(HTML_PAGE_CODE)],
    notes: 'The restarted single stream sees another length and type; again the page must not become the file.',
    run: (ctx) => {
      const body = randomBytesSeeded(MED, 62);
      return viaRawServer(
        ctx,
        (req) =>
          req.n === 1
            ? { head: [statusLine(200), 'Accept-Ranges: none', 'Content-Type: application/zip', `Content-Length: ${body.length}`], body, cutAt: 300_000, after: 'fin' }
            : htmlPage(),
        { source: body },
        { countsBytes: false },
      );
    },
  },
  {
    group: 'Error pages, lengths and 416',
    scenario: 'the length shrinks between probe and download (ETag unchanged)',
    expect: [sha('changed')],
    notes: 'The Content-Range total (or a 416) shows the new length: started over with the shorter file.',
    run: async (ctx) => {
      const v1 = randomBytesSeeded(MED, 63);
      const v2 = v1.subarray(0, 700 * KiB);
      const run = await viaRawServer(ctx, (req) => serveFile({ body: req.n === 1 ? v1 : v2 }, req), { source: v1, changed: v2 }, { countsBytes: false });
      return run;
    },
  },
  {
    group: 'Error pages, lengths and 416',
    scenario: '416 on resume: the server\'s file is now exactly the bytes already on disk',
    expect: [sha('changed')],
    notes: 'Safe but wasteful: the engine starts over and fetches the bytes it already had instead of accepting `bytes */N` = local length.',
    run: (ctx) => shrinkWhilePaused(ctx, 64, (onDisk) => onDisk),
    check: (run, ctx) => void expect(ctx.fault.requests.some((r) => r.path === `${ctx.base}/f.bin` && r.status === 416)).toBe(true),
  },
  {
    group: 'Error pages, lengths and 416',
    scenario: '416 on resume: the local file is larger than the server\'s',
    expect: [sha('changed')],
    notes: 'The server\'s file is shorter than what is on disk: started over, never truncated-and-kept.',
    run: (ctx) => shrinkWhilePaused(ctx, 65, (onDisk) => Math.floor(onDisk / 2)),
    check: (run, ctx) => void expect(ctx.fault.requests.some((r) => r.path === `${ctx.base}/f.bin` && r.status === 416)).toBe(true),
  },

  // ---------------------------------------------------------------- names
  nameRow('unix traversal', 'passwd'),
  nameRow('backslash traversal token', 'evil.dll'),
  nameRow('300 ASCII characters'),
  nameRow('RFC 5987 UTF-8', '€ rates.pdf'),
  nameRow('CON', '_CON'),
  nameRow('right-to-left override, filename*', 'photognp.scr'),
];
