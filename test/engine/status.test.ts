// The status machine: every move the engine makes goes through canTransition, so this table is
// the whole truth about which moves are legal. All 49 (from, to) pairs are listed explicitly.
import { describe, expect, it } from 'vitest';
import type { DownloadStatus } from '../../main/engine/model.js';
import { ACTIVE_STATUSES, UNFINISHED_STATUSES, canTransition, isActive } from '../../main/engine/status.js';

const ALL: DownloadStatus[] = ['queued', 'probing', 'downloading', 'paused', 'completed', 'failed', 'canceled'];

// Legal moves besides staying put. Why each one exists:
const LEGAL: Record<DownloadStatus, DownloadStatus[]> = {
  // Start (probe, or straight to downloading when already probed), pause, cancel, or fail
  // (the target folder vanished before a connection was made).
  queued: ['probing', 'downloading', 'paused', 'canceled', 'failed'],
  // The probe leads to downloading; a zero-byte file completes at once; the queue can take it back.
  probing: ['downloading', 'queued', 'paused', 'failed', 'canceled', 'completed'],
  // Back to probing when the file changed on the server and the download starts over.
  downloading: ['probing', 'queued', 'paused', 'completed', 'failed', 'canceled'],
  // Resuming always goes through the queue, so maxConcurrent is respected.
  paused: ['queued', 'canceled'],
  failed: ['queued', 'canceled'],
  // A completed download is final: re-downloading is a new download.
  completed: [],
  // "Restart" of a canceled download re-queues it.
  canceled: ['queued'],
};

const pairs = ALL.flatMap((from) => ALL.map((to) => ({ from, to, legal: from === to || LEGAL[from].includes(to) })));

describe('canTransition', () => {
  it.each(pairs)('$from → $to: $legal', ({ from, to, legal }) => {
    expect(canTransition(from, to)).toBe(legal);
  });

  // The design's main line (DESIGN.md): queued → probing → downloading → (paused | completed |
  // failed | canceled), and paused/failed → queued. Listed again so a table edit cannot drop them.
  it.each([
    ['queued', 'probing'],
    ['probing', 'downloading'],
    ['downloading', 'paused'],
    ['downloading', 'completed'],
    ['downloading', 'failed'],
    ['downloading', 'canceled'],
    ['paused', 'queued'],
    ['failed', 'queued'],
  ] as Array<[DownloadStatus, DownloadStatus]>)('design path %s → %s is legal', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  // Moves that would be bugs: a finished file rewritten, a paused download running outside the queue.
  it.each([
    ['completed', 'downloading'],
    ['completed', 'queued'],
    ['completed', 'failed'],
    ['paused', 'downloading'],
    ['failed', 'downloading'],
    ['canceled', 'downloading'],
    ['canceled', 'completed'],
    ['paused', 'completed'],
  ] as Array<[DownloadStatus, DownloadStatus]>)('%s → %s is illegal', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });
});

describe('status groups', () => {
  it.each(ALL.map((s) => ({ status: s, active: s === 'probing' || s === 'downloading' })))(
    'isActive($status) is $active',
    ({ status, active }) => {
      expect(isActive(status)).toBe(active);
      expect(ACTIVE_STATUSES.includes(status)).toBe(active);
    },
  );

  it('unfinished statuses are everything except completed and canceled', () => {
    expect([...UNFINISHED_STATUSES].sort()).toEqual(ALL.filter((s) => s !== 'completed' && s !== 'canceled').sort());
  });

  it('completed is reachable from every status', () => {
    // A status from which completion is unreachable (other than the final two) would strand downloads.
    const reachable = (from: DownloadStatus, seen = new Set<DownloadStatus>()): boolean => {
      if (from === 'completed') return true;
      seen.add(from);
      return ALL.some((to) => !seen.has(to) && to !== from && canTransition(from, to) && reachable(to, seen));
    };
    for (const s of ALL) expect({ s, ok: reachable(s) }).toEqual({ s, ok: true });
  });
});
