// Fewer connections when more add nothing: a fast download measures itself with all of its
// connections and then with two, and keeps to two only when they are as fast. Real servers on
// loopback: one whose limit all connections share (a full link), one that limits each
// connection (where every connection must come back), and a slow one (no trial at all).
import { describe, expect, it } from 'vitest';
import { useEngineSandbox, type Harness } from '../helpers/engine-harness.js';
import type { FaultServer, Faults } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';

const MiB = 1024 * 1024;
const SIZE = 64 * MiB;
const CONNECTIONS = 8;
/** The probe's GET runs past its first piece by what is in flight when the piece is full. */
const PROBE_OVERSHOOT = 1 * MiB;

let server: FaultServer;
let h: Harness;

interface Sample {
  downloaded: number;
  active: number;
  /** What the window says about it (the snapshot's connectionTrial). */
  trial: string | null;
}

/** Downloads a 64 MiB file served with `faults`, sampling "N active of 8" as the app shows it. */
async function downloadSampling(faults: Faults): Promise<Sample[]> {
  const body = randomBytesSeeded(SIZE, 11);
  server.setFile('/big.bin', { body, faults });
  const added = h.engine.add({ url: server.url('/big.bin'), directory: h.dir, connections: CONNECTIONS });
  const samples: Sample[] = [];
  const timer = setInterval(() => {
    const s = h.engine.get(added.id);
    if (s.status === 'downloading') samples.push({ downloaded: s.downloaded, active: s.activeConnections, trial: s.connectionTrial });
  }, 10);
  const s = await h.finished(added.id, 30_000).finally(() => clearInterval(timer));
  expect(s.status).toBe('completed');
  expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
  return samples;
}

/** Samples after the first one showing two or fewer connections (the trial). */
function afterTrial(samples: Sample[]): Sample[] {
  const first = samples.findIndex((x) => x.active > 0 && x.active <= 2);
  expect(first, 'no sample shows two connections or fewer').toBeGreaterThan(0);
  return samples.slice(first);
}

describe('with trials from 8 MiB/s', () => {
  useEngineSandbox({ connectionTrialAbove: 8 * MiB }, (sandbox) => ({ server, h } = sandbox));

  it('a limit all connections share: two connections finish the file, byte-identical', async () => {
    const samples = await downloadSampling({ sharedThrottle: 48 * MiB });
    expect(Math.max(...samples.map((x) => x.active))).toBe(CONNECTIONS);
    const later = afterTrial(samples);
    expect(Math.max(...later.map((x) => x.active))).toBeLessThanOrEqual(2);
    // The window says why: trying two, then keeping to them.
    expect(new Set(samples.map((x) => x.trial))).toEqual(new Set([null, 'trying', 'fewer']));
    expect(later.at(-1)!.trial).toBe('fewer');
    // Connections stepped out at the end of their first 4 MiB pieces (half of the file at 8
    // connections), not after long ones: the rest came over two.
    expect(later[0]!.downloaded).toBeLessThanOrEqual(0.6 * SIZE);
    // Connections step out between pieces, cutting no range: only the probe's overshoot comes twice.
    expect(server.bytesServedTwice('/big.bin')).toBeLessThanOrEqual(PROBE_OVERSHOOT);
  });

  it('a limit per connection: the two are slower, and all eight come back', async () => {
    const samples = await downloadSampling({ throttle: 6 * MiB });
    const later = afterTrial(samples);
    expect(Math.max(...later.map((x) => x.active))).toBe(CONNECTIONS);
    expect(samples.some((x) => x.trial === 'trying')).toBe(true);
    expect(samples.some((x) => x.trial === 'fewer')).toBe(false);
    expect(later.at(-1)!.trial).toBeNull();
    // The end game's steals cut a few ranges, each losing what was in flight (as without a trial).
    expect(server.bytesServedTwice('/big.bin')).toBeLessThanOrEqual(2 * PROBE_OVERSHOOT);
  });
});

describe('with the default threshold (200 MiB/s)', () => {
  useEngineSandbox({ maxRetries: 3 }, (sandbox) => ({ server, h } = sandbox));

  it('a range the server always fails is not asked again each time bytes land elsewhere', async () => {
    const body = randomBytesSeeded(48 * MiB, 12);
    const at = 20 * MiB;
    // Paced, so the other connections are still landing bytes when the broken range's gives up.
    server.setFile('/broken.bin', { body, faults: { brokenByte: { at, status: 500 }, throttle: 4 * MiB } });
    const s = await h.download(server.url('/broken.bin'), { connections: CONNECTIONS });
    expect(s.status).toBe('failed');
    expect(s.error?.code).toBe('HTTP_SERVER_ERROR');
    const covering = server.requests.filter((r) => r.status === 500);
    // Four attempts by each connection that takes a piece with it (work stealing can split it
    // off to another), one by each that finds it idle later: 11 in runs here. Replacing the
    // connection that gave up at every landing write made it 119-127.
    expect(covering.length).toBeLessThanOrEqual(3 * CONNECTIONS);
  });

  it('a download slower than it never leaves its connections idle to try', async () => {
    const samples = await downloadSampling({ sharedThrottle: 48 * MiB });
    // Until the last pieces (when there is nothing left to hand out) all eight stay busy.
    const body = samples.filter((x) => x.downloaded > 8 * MiB && x.downloaded < SIZE - 16 * MiB);
    expect(body.length).toBeGreaterThan(10);
    expect(Math.min(...body.map((x) => x.active))).toBe(CONNECTIONS);
  });
});
