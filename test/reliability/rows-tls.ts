// Matrix rows over https: the same faults on a TLS connection (the lean path speaks TLS itself),
// and certificates that must be refused at once, before a request is sent.
import { expect } from 'vitest';
import { startFaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded } from '../helpers/files.js';
import { TEST_TLS } from '../helpers/tls-fixture.js';
import { KiB, MiB, download, error, sha, type Ctx, type Row, type RowRun } from './matrix-kit.js';
import { viaFaultServer } from './rows-transfer.js';

const GROUP = 'Over https';
const BIG = 3 * MiB - 5;

/** A download from a server presenting one of the broken certificates; it must not get a request. */
async function viaBrokenCertificate(ctx: Ctx, which: keyof typeof TEST_TLS.broken): Promise<RowRun> {
  const server = await startFaultServer({ tls: TEST_TLS.broken[which] });
  try {
    const p = `${ctx.base}/f.bin`;
    const body = randomBytesSeeded(64 * KiB, 90);
    server.setFile(p, { body });
    const { snapshot, elapsedMs } = await download(ctx, server.url(p));
    // One handshake: a certificate is not worth asking again.
    expect(server.tcpConnectionCount, 'TLS handshakes attempted').toBe(1);
    return { snapshot, versions: { source: body }, requests: server.requests.length, bytesTwice: null, elapsedMs };
  } finally {
    await server.close();
  }
}

export const TLS_ROWS: Row[] = [
  {
    group: GROUP,
    scenario: 'bodies cut by RST three times',
    expect: [sha()],
    notes: 'The reset goes out on the TCP socket under the TLS one; each range resumes at its first missing byte.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(BIG, 91), faults: { dropAfter: { bytes: 300_000, times: 3, mode: 'rst' } } }, 4, 'f.bin', ctx.tls),
  },
  {
    group: GROUP,
    scenario: 'a stall mid-body (idle timeout, then resume)',
    expect: [sha()],
    notes: 'The TLS socket times out like a plain one; the range is asked again from where it stopped.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(BIG, 92), faults: { stallAfter: { bytes: 200_000, times: 1 } } }, 4, 'f.bin', ctx.tls),
  },
  {
    group: GROUP,
    scenario: 'chunked bodies (got reads them)',
    expect: [sha()],
    notes: 'The lean path hands chunked answers to got, which speaks TLS with the same trusted certificates.',
    run: (ctx) => viaFaultServer(ctx, { body: randomBytesSeeded(BIG, 93), faults: { chunked: true } }, 4, 'f.bin', ctx.tls),
  },
  {
    group: GROUP,
    scenario: 'an expired certificate',
    expect: [error('TLS_CERTIFICATE')],
    notes: 'Refused in the handshake ("certificate has expired"): no request is sent, nothing is written, not retried.',
    run: (ctx) => viaBrokenCertificate(ctx, 'expired'),
    check: (run) => expect(run.snapshot.error?.message).toMatch(/expired/),
  },
  {
    group: GROUP,
    scenario: 'a certificate for another name',
    expect: [error('TLS_CERTIFICATE')],
    notes: 'Trusted, but issued to other.example, not 127.0.0.1: refused after the handshake, before the request.',
    run: (ctx) => viaBrokenCertificate(ctx, 'wrongName'),
  },
  {
    group: GROUP,
    scenario: 'a self-signed certificate nobody trusts',
    expect: [error('TLS_CERTIFICATE')],
    notes: 'Refused in the handshake ("self-signed certificate"); the message names the reason.',
    run: (ctx) => viaBrokenCertificate(ctx, 'unknown'),
    check: (run) => expect(run.snapshot.error?.message).toMatch(/self-signed/),
  },
];
