// Loopback servers for the UI benchmark (bench/ui.mjs), both on 127.0.0.1 only:
//   - a slow file server, so a few downloads really transfer (and report progress) for the whole run;
//   - a static server for the built renderer, so the page has a real http origin, as in test/e2e.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const CHUNK = 16 * 1024;
const BLOCK = randomBytes(64 * 1024); // repeated: the content never matters, no file is ever finished
const BURST_MS = 50; // a file's bucket may run this far ahead of the clock

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

function closer(server) {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

function bytesAt(pos, n) {
  const off = pos % BLOCK.length;
  if (off + n <= BLOCK.length) return BLOCK.subarray(off, off + n);
  return Buffer.concat([BLOCK.subarray(off), BLOCK.subarray(0, n - (BLOCK.length - off))]);
}

/**
 * Every path is a file of `fileBytes` bytes with byte ranges, an ETag and a Last-Modified, sent at
 * `bytesPerSecond` per file: one token bucket per path, shared by all connections to it, so a
 * download that splits into N connections still gets the rate in total, not N times it.
 */
export async function startSlowServer({ bytesPerSecond, fileBytes }) {
  const buckets = new Map();
  const stats = { requests: 0, bytes: 0 };
  const server = http.createServer((req, res) => {
    stats.requests++;
    const name = new URL(req.url ?? '/', 'http://x').pathname;
    let start = 0;
    let end = fileBytes - 1;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const headers = {
      'Content-Type': 'application/octet-stream',
      'Accept-Ranges': 'bytes',
      ETag: '"ferry-ui-bench-1"',
      'Last-Modified': 'Sat, 01 Nov 2025 00:00:00 GMT',
    };
    if (range) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(Number(range[2]), fileBytes - 1);
      if (start > end) {
        res.writeHead(416, { 'Content-Range': `bytes */${fileBytes}` }).end();
        return;
      }
      headers['Content-Range'] = `bytes ${start}-${end}/${fileBytes}`;
    }
    res.writeHead(range ? 206 : 200, { ...headers, 'Content-Length': String(end - start + 1) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    let pos = start;
    let timer = null;
    const pump = () => {
      timer = null;
      while (pos <= end && !res.destroyed) {
        const now = performance.now();
        const next = Math.max(buckets.get(name) ?? now, now);
        if (next > now + BURST_MS) {
          timer = setTimeout(pump, next - now - BURST_MS);
          return;
        }
        const n = Math.min(CHUNK, end - pos + 1);
        buckets.set(name, next + (n / bytesPerSecond) * 1000);
        const more = res.write(bytesAt(pos, n));
        pos += n;
        stats.bytes += n;
        if (!more) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    res.on('close', () => {
      if (timer) clearTimeout(timer);
    });
    pump();
  });
  const port = await listen(server);
  return { baseUrl: `http://127.0.0.1:${port}`, stats, close: closer(server) };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** The built renderer; `headers` go on every response (the app's Content-Security-Policy). Mirrors test/e2e/static-server.ts. */
export async function serveStatic(dir, headers = {}) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, close: closer(server) };
}
