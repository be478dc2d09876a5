// `ferry get` over https as a user runs it: Node's certificate store decides what is trusted
// (NODE_EXTRA_CA_CERTS adds the test server's certificate, as a company's root would be added).
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';
import { TEST_TLS } from '../helpers/tls-fixture.js';
import { MiB, lines, readDb, runFerry, useCliSandbox } from './harness.js';

let server: FaultServer;
let home: string;
let dir: string;
const BODY = randomBytesSeeded(6 * MiB + 7, 131);

useCliSandbox(
  'https',
  (s) => {
    ({ server, home, dir } = s);
    server.setFile('/secure.bin', { body: BODY });
  },
  { tls: TEST_TLS },
);

it('downloads over https with 4 connections when the certificate is trusted: byte-identical, sha-256 recorded', async () => {
  const db = path.join(home, 'state.db');
  const r = await runFerry(['get', server.url('/secure.bin'), '-d', dir, '-c', '4', '--db', db], {
    home,
    env: { NODE_EXTRA_CA_CERTS: TEST_TLS.certPath },
  });
  expect(r.code, r.stderr).toBe(0);
  expect(fs.readdirSync(dir)).toEqual(['secure.bin']);
  expect(await sha256File(path.join(dir, 'secure.bin'))).toBe(sha256(BODY));
  expect(readDb(db, (d) => d.prepare('SELECT status, sha256 FROM downloads').all())).toEqual([{ status: 'completed', sha256: sha256(BODY) }]);
  expect(server.requests.filter((q) => q.status === 206).length).toBeGreaterThanOrEqual(3);
});

it('refuses a certificate it cannot verify: exit 1, one clear line, no file and no retries', async () => {
  const db = path.join(home, 'state.db');
  const r = await runFerry(['get', server.url('/secure.bin'), '-d', dir, '--db', db], { home, env: { NODE_EXTRA_CA_CERTS: undefined } });
  expect(r.code).toBe(1);
  const errors = lines(r.stderr).filter((l) => /certificate/i.test(l));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/certificate could not be verified/);
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(server.requests).toHaveLength(0);
  expect(readDb(db, (d) => d.prepare('SELECT status, error_code FROM downloads').all())).toEqual([{ status: 'failed', error_code: 'TLS_CERTIFICATE' }]);
});
