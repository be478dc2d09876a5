// `ferry get -c 8` against a server whose speed all connections share (a full link): with
// --fewer-connections-above under that speed the download tries two connections and keeps to
// them; with 0 all eight stay busy. Seen from the server: how many responses were in flight.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultServer, RequestRecord } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';
import { MiB, runFerry, useCliSandbox } from './harness.js';

const BODY = randomBytesSeeded(64 * MiB, 303);

let server: FaultServer;
let home: string;
let dir: string;

useCliSandbox('connections', (sandbox) => ({ server, home, dir } = sandbox));

/** Responses in flight at each ms of [from, to] of the run's span (0 = first request, 1 = last end): the most. */
function mostInFlight(records: readonly RequestRecord[], from: number, to: number): number {
  const start = Math.min(...records.map((r) => r.receivedAt));
  const end = Math.max(...records.map((r) => r.endedAt ?? Infinity));
  let most = 0;
  for (let t = start + from * (end - start); t <= start + to * (end - start); t += 1) {
    most = Math.max(most, records.filter((r) => r.receivedAt <= t && (r.endedAt ?? Infinity) > t).length);
  }
  return most;
}

async function get(fewerAbove: number): Promise<RequestRecord[]> {
  server.setFile('/shared.bin', { body: BODY, faults: { sharedThrottle: 48 * MiB } });
  const out = path.join(dir, 'shared.bin');
  const args = ['get', server.url('/shared.bin'), '-o', out, '-c', '8', '--fewer-connections-above', String(fewerAbove)];
  const r = await runFerry([...args, '--db', path.join(home, 'state.db')], { home });
  expect(r.code, r.stderr).toBe(0);
  expect(await sha256File(out)).toBe(sha256(BODY));
  return server.requests.filter((q) => q.path === '/shared.bin');
}

describe('ferry get --fewer-connections-above', () => {
  it('under the speed: keeps to two connections for the last part of the download', async () => {
    const records = await get(8);
    expect(mostInFlight(records, 0.1, 0.3)).toBe(8);
    expect(mostInFlight(records, 0.65, 1)).toBeLessThanOrEqual(2);
  });

  it('0: all eight connections stay busy', async () => {
    const records = await get(0);
    expect(mostInFlight(records, 0.6, 0.8)).toBe(8);
  });
});
