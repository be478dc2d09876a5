// The connection governor decides, from measured rates only, whether a download keeps all of its
// connections. Each case drives it through a simulated download whose rate depends on how many
// connections run: a limit per connection (more connections pay), a shared limit (they do not),
// and this machine's CPU (fewer are faster). Connections step out only after their piece, as in
// the task, so the trial starts late when pieces are long.
import { describe, expect, it } from 'vitest';
import { ConnectionGovernor, GOVERNOR_DEFAULTS, type GovernorConfig } from '../../main/engine/connection-governor.js';

const MiB = 1024 * 1024;

interface Run {
  governor: ConnectionGovernor;
  /** Connections running at each simulated 5 ms step. */
  live: number[];
}

/**
 * Runs `seconds` of a download: bytes arrive at rate(live connections); a connection asked to
 * step out does so `pieceMs` later (the end of its piece); one asked for starts at once.
 */
function simulate(config: Partial<GovernorConfig> & { max: number }, rate: (live: number, now: number) => number, seconds: number, pieceMs = 50): Run {
  const governor = new ConnectionGovernor({ ...GOVERNOR_DEFAULTS, fastAbove: 100 * MiB, ...config });
  const step = 5;
  let live = config.max;
  let bytes = 0;
  let shedAt: number | null = null;
  const trace: number[] = [];
  for (let now = 0; now <= seconds * 1000; now += step) {
    bytes += (rate(live, now) * step) / 1000;
    const target = governor.update(now, bytes, live);
    if (target > live) {
      live = target;
      shedAt = null;
    } else if (target < live) {
      shedAt ??= now;
      if (now - shedAt >= pieceMs) live = target;
    } else shedAt = null;
    trace.push(live);
  }
  return { governor, live: trace };
}

const at = (run: Run, ms: number) => run.live[Math.round(ms / 5)]!;
/** The trials, rates in whole MiB/s. */
const trials = (run: Run) => run.governor.decisions.map((d) => ({ all: Math.round(d.allRate / MiB), fewer: Math.round(d.fewerRate / MiB), kept: d.kept }));

describe('ConnectionGovernor', () => {
  it('a shared limit (a full link): keeps two connections, as fast as sixteen', () => {
    const run = simulate({ max: 16 }, () => 500 * MiB, 5);
    expect(run.governor.decisions.map((d) => d.kept)).toEqual(['fewer']);
    expect(at(run, 100)).toBe(16);
    expect(at(run, 5000)).toBe(2);
  });

  it('this machine as the limit (fewer connections are faster): keeps two', () => {
    const run = simulate({ max: 8 }, (n) => (n <= 2 ? 800 : 500) * MiB, 3);
    expect(trials(run)).toEqual([{ all: 500, fewer: 800, kept: 'fewer' }]);
    expect(at(run, 3000)).toBe(2);
  });

  it('a limit per connection: the trial loses, every connection comes back and stays for the recheck interval', () => {
    const run = simulate({ max: 8 }, (n) => n * 40 * MiB, 50);
    expect(trials(run)).toEqual([{ all: 320, fewer: 80, kept: 'all' }]);
    // Two connections only from the shed to the decision: about two windows and a piece.
    expect(run.live.filter((n) => n < 8).length * 5).toBeLessThan(2 * GOVERNOR_DEFAULTS.windowMs + 100);
    expect(at(run, 50_000)).toBe(8);
  });

  it('measures again after the recheck interval, and decides again', () => {
    const perConnection = simulate({ max: 8, recheckMs: 10_000 }, (n) => n * 40 * MiB, 25);
    expect(perConnection.governor.decisions.map((d) => d.kept)).toEqual(['all', 'all', 'all']);
    const shared = simulate({ max: 8, recheckMs: 10_000 }, () => 500 * MiB, 25);
    expect(shared.governor.decisions.map((d) => d.kept)).toEqual(['fewer', 'fewer', 'fewer']);
    // Between trials of a shared limit, all eight run only for a window and a piece.
    expect(shared.live.filter((n) => n === 8).length * 5).toBeLessThan(3 * (GOVERNOR_DEFAULTS.windowMs + 100));
  });

  it.each([
    ['slower than fastAbove', { max: 16 }, (n: number) => n * 4 * MiB],
    ['two connections allowed', { max: 2 }, () => 900 * MiB],
    ['trials turned off (fastAbove 0)', { max: 16, fastAbove: 0 }, () => 900 * MiB],
  ])('never tries fewer connections when %s', (_, config, rate) => {
    const run = simulate(config, rate, 120);
    expect(run.governor.decisions).toEqual([]);
    expect(Math.min(...run.live)).toBe(config.max);
  });

  it.each([
    [0.93, 'fewer'],
    [0.85, 'all'],
  ])('keeps two connections only at 90 %% of the rate or more (two at %s of all)', (share, kept) => {
    const run = simulate({ max: 8 }, (n) => (n <= 2 ? share * 400 : 400) * MiB, 3);
    expect(run.governor.decisions.map((d) => d.kept)).toEqual([kept]);
  });

  it('a trial between plainly lost and kept goes on for three windows, judged on all of them', () => {
    // Two connections at 70 %: not noise, and not a plain loss either.
    const lost = simulate({ max: 8 }, (n) => (n <= 2 ? 0.7 * 400 : 400) * MiB, 3);
    expect(trials(lost)).toEqual([{ all: 400, fewer: 280, kept: 'all' }]);
    const atTwo = lost.live.filter((n) => n <= 2).length * 5;
    expect(atTwo).toBeGreaterThanOrEqual(3 * GOVERNOR_DEFAULTS.windowMs);
    expect(atTwo).toBeLessThan(3 * GOVERNOR_DEFAULTS.windowMs + 20);
    // A busy moment in the first window (75 %), then as fast as all eight: 92 % over three, kept.
    let trialFrom: number | null = null;
    const wobble = simulate({ max: 8 }, (n, now) => {
      if (n > 2) return 400 * MiB;
      trialFrom ??= now;
      return (now - trialFrom < GOVERNOR_DEFAULTS.windowMs ? 0.75 : 1) * 400 * MiB;
    }, 3);
    expect(wobble.governor.decisions.map((d) => d.kept)).toEqual(['fewer']);
  });

  it('times its trial from when the other connections have stepped out, not from the request', () => {
    // Pieces of 2 s: six connections keep running until theirs end; a window counted from the
    // request would credit them to the two.
    const run = simulate({ max: 8 }, (n) => n * 40 * MiB, 5, 2000);
    expect(trials(run)).toEqual([{ all: 320, fewer: 80, kept: 'all' }]);
  });

  it('counts a window only while every connection runs', () => {
    const governor = new ConnectionGovernor({ ...GOVERNOR_DEFAULTS, max: 8, fastAbove: 100 * MiB });
    // Seven of eight running (one retrying, or the last pieces): no window, whatever the rate.
    for (let now = 0; now <= 2000; now += 5) governor.update(now, now * MiB, 7);
    expect(governor.target).toBe(8);
    for (let now = 2005; now <= 2300; now += 5) governor.update(now, now * MiB, 8);
    expect(governor.target).toBe(2);
  });

  it("tells the window what it is doing: trying two, keeping to two, or nothing", () => {
    const governor = new ConnectionGovernor({ ...GOVERNOR_DEFAULTS, max: 8, fastAbove: 100 * MiB });
    governor.update(0, 0, 8);
    expect(governor.trial).toBeNull();
    governor.update(300, 150 * MiB, 8);
    expect(governor.trial).toBe('trying'); // connections stepping out
    governor.update(350, 170 * MiB, 2);
    expect(governor.trial).toBe('trying'); // two measured
    governor.update(650, 320 * MiB, 2);
    expect(governor.trial).toBe('fewer');
    governor.update(650 + GOVERNOR_DEFAULTS.recheckMs, 400 * MiB, 2);
    expect(governor.trial).toBeNull(); // measuring every connection again
  });

  it('asks for short pieces only while fast with every connection, or while they step out', () => {
    const governor = new ConnectionGovernor({ ...GOVERNOR_DEFAULTS, max: 8, fastAbove: 100 * MiB });
    governor.update(0, 0, 8);
    expect(governor.shortPieces(100, 1 * MiB)).toBe(false); // 10 MiB/s
    expect(governor.shortPieces(100, 50 * MiB)).toBe(true); // 500 MiB/s
    governor.update(300, 150 * MiB, 8);
    expect(governor.target).toBe(2);
    expect(governor.shortPieces(301, 150 * MiB)).toBe(true);
  });
});
