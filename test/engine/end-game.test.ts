// The end of a download whose server holds each connection to a few MiB/s: the connections that
// run out of work take the back of what the others have left, down to far less than the 1 MiB that
// is the floor on a fast link, so the last second is not left to one connection. A real loopback
// server throttles each response; its request log shows the ranges asked for.
import { describe, expect, it } from 'vitest';
import { useEngineSandbox, type Harness } from '../helpers/engine-harness.js';
import type { FaultServer } from '../helpers/fault-server.js';
import { randomBytesSeeded, sha256, sha256File } from '../helpers/files.js';

const MiB = 1024 * 1024;

let server: FaultServer;
let h: Harness;

/** Lengths of the range requests the server answered for `path`. */
function rangeLengths(path: string): number[] {
  return server.requests
    .filter((r) => r.path === path && r.range)
    .map((r) => {
      const [, from, to] = /^bytes=(\d+)-(\d+)$/.exec(r.range!)!;
      return Number(to) - Number(from) + 1;
    });
}

describe('the end of a throttled download', () => {
  // The default 1 MiB floor, and a retry half a second after a cut.
  useEngineSandbox({ minSplitSize: MiB, retryBaseDelayMs: 600, retryMaxDelayMs: 600 }, (sandbox) => ({ server, h } = sandbox));

  it('is shared out in pieces under 1 MiB, and the file is byte-identical', async () => {
    // Two connections, 1.5 MiB each at 1 MiB/s. The first response is cut at 512 KiB, and its
    // connection asks for the other 1 MiB 0.3-0.6 s later: when the second connection is done, the
    // first still has 0.3-0.6 MiB to go. Before, a half under 1 MiB was never split off, and the
    // second connection sat idle until the end.
    const body = randomBytesSeeded(3 * MiB, 21);
    server.setFile('/slow.bin', { body, faults: { throttle: MiB, dropAfter: { bytes: 512 * 1024, times: 1, mode: 'fin' } } });
    const added = h.engine.add({ url: server.url('/slow.bin'), directory: h.dir, connections: 2 });
    const s = await h.finished(added.id, 30_000);
    expect(s.status).toBe('completed');
    expect(await sha256File(h.pathOf(s))).toBe(sha256(body));
    const lengths = rangeLengths('/slow.bin');
    // The second connection's 1.5 MiB, the retry's 1 MiB, and the half the second one took.
    expect(Math.min(...lengths)).toBeLessThan(MiB);
    // Never below what a request is worth.
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(64 * 1024);
  });
});
