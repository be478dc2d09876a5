// The ceiling over any N-connection download through the throttled row's per-connection proxy, as
// a reference row: plain Node, told the file's size in advance (no probe), opens N connections at
// once, asks each for one of N equal ranges and writes what arrives at its offset. Nothing else: no
// hash, no database, no work stealing (the proxy gives every connection the same rate, so equal
// ranges end together), no retries. A tool with N connections cannot beat it by much; so it shows
// how far "≥ 1.02 × N × rate" is from what N connections can do here at all.
//
// Usage: node bench/node-ceiling.mjs URL OUT_FILE N SIZE
import { open } from 'node:fs/promises';
import http from 'node:http';

const [url, outFile, nArg, sizeArg] = process.argv.slice(2);
const n = Number(nArg);
const size = Number(sizeArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: n });
const file = await open(outFile, 'wx');

/** Bytes a connection may have waiting for the disk before it stops reading its socket. */
const MAX_PENDING = 1024 * 1024;

/** Fetches [start, end] and writes it at its offset, one write at a time. */
function fetchRange(start, end) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent, headers: { Range: `bytes=${start}-${end}` } }, (res) => {
        if (res.statusCode !== 206) return reject(new Error(`${url}: HTTP ${res.statusCode} for a range`));
        let at = start;
        let pending = 0;
        let writes = Promise.resolve();
        res.on('data', (chunk) => {
          const pos = at;
          at += chunk.length;
          pending += chunk.length;
          if (pending > MAX_PENDING) res.pause();
          writes = writes.then(async () => {
            await file.write(chunk, 0, chunk.length, pos);
            pending -= chunk.length;
            if (res.isPaused() && pending <= MAX_PENDING / 2) res.resume();
          });
        });
        res.on('end', () => writes.then(() => (at === end + 1 ? resolve() : reject(new Error(`short range ${start}-${end}: ${at - start} bytes`))), reject));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const base = Math.floor(size / n);
await Promise.all(Array.from({ length: n }, (_, i) => fetchRange(i * base, i === n - 1 ? size - 1 : (i + 1) * base - 1)));
await file.close();
agent.destroy();
