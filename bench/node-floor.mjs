// The floor under any download manager written for Node, for the many-small row: plain Node fetches
// the same list, `j` at a time, over kept-alive connections, writes each body to an O_EXCL `.part`,
// takes its sha-256 (as Ferry records one) and renames it into place. Nothing else: no database,
// no crash safety, no retries, no checks of what the server sent.
//
// Usage: node bench/node-floor.mjs LIST_FILE OUT_DIR J
import { createHash } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import http from 'node:http';
import { basename, join } from 'node:path';

const [listFile, outDir, j] = process.argv.slice(2);
const urls = (await readFile(listFile, 'utf8')).split('\n').filter(Boolean);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(j) });

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`));
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function fetchOne(url) {
  const body = await get(url);
  const file = join(outDir, basename(new URL(url).pathname));
  const part = await open(`${file}.part`, 'wx');
  await part.write(body, 0, body.length, 0);
  await part.close();
  createHash('sha256').update(body).digest('hex');
  await rename(`${file}.part`, file);
}

let next = 0;
async function lane() {
  while (next < urls.length) await fetchOne(urls[next++]);
}
await Promise.all(Array.from({ length: Number(j) }, lane));
agent.destroy();
