// How many of a download's connections to keep busy. All of them, unless the download is fast
// and a short trial shows that two connections fetch it as fast as all of them.
//
// More connections pay when each one is held back on its own: a server or proxy that limits
// every connection, a long path whose TCP window caps each stream. They cost when the limit is
// shared: a saturated link, or this machine's CPU (every connection's reads go through the one
// JavaScript thread, and each one adds requests, smaller reads and thread-pool writes). On
// loopback here a GiB at 16 connections took 2.1-2.4 s, at 2 connections 1.5-1.6 s. Which case a
// download is in cannot be told from one connection's figures, so it is measured: the rate with
// all connections over a window, then with two over a window of the same length, and the
// connections stay at two only if those reach nearly the same rate. Trials happen only above a
// rate at which connections cost a noticeable share of a core (`fastAbove`); below it a download
// with per-connection limits never loses a moment to one. Conditions change (the machine gets
// busy, the server gets loaded), so the decision is taken again after `recheckMs`.
//
// Pure logic on a clock and a byte count, so a table of cases pins it down; the download task
// feeds it and applies its target (connections step out after their current piece, and are
// started again when the target rises).

export interface GovernorConfig {
  /** Connections the user allowed. */
  max: number;
  /** Connections a trial runs with. */
  fewer: number;
  /** Bytes per second, with every connection, from which a trial with fewer is worth it; 0: never. */
  fastAbove: number;
  /** Length of each measurement. */
  windowMs: number;
  /** Fewer connections are kept when they reach this share of the rate all of them had. */
  keepShare: number;
  /**
   * Under this share the trial has plainly lost (two of four connections limited one by one
   * reach half the rate) and every connection comes back at once. Between it and `keepShare` the
   * trial goes on for up to `trialWindows` windows, judged on all of them: a busy machine makes
   * one window's rate wobble by more than the margin.
   */
  loseShare: number;
  trialWindows: number;
  /** A decision holds this long; then every connection is measured again. */
  recheckMs: number;
}

export const GOVERNOR_DEFAULTS: Omit<GovernorConfig, 'max' | 'fastAbove'> = {
  fewer: 2,
  windowMs: 250,
  keepShare: 0.9,
  loseShare: 0.5,
  trialWindows: 3,
  recheckMs: 60_000,
};

type State =
  /** Every connection runs; `from` < 0 until all of them are live, then a window is measured. */
  | { phase: 'all'; from: number; bytes: number }
  /** Waiting for connections to step out (each finishes its piece first). */
  | { phase: 'shedding'; allRate: number }
  | { phase: 'trial'; allRate: number; from: number; bytes: number }
  | { phase: 'decided'; until: number };

/** A trial's outcome (kept for the tests: the rates it compared and what it chose). */
export interface GovernorDecision {
  allRate: number;
  fewerRate: number;
  kept: 'fewer' | 'all';
}

export class ConnectionGovernor {
  private state: State = { phase: 'all', from: -1, bytes: 0 };
  private current: number;
  readonly decisions: GovernorDecision[] = [];

  constructor(private readonly config: GovernorConfig) {
    this.current = config.max;
  }

  /** Connections to keep busy now. */
  get target(): number {
    return this.current;
  }

  /** 'trying' while connections step out or two are measured; 'fewer' while two are kept. */
  get trial(): 'trying' | 'fewer' | null {
    const phase = this.state.phase;
    if (phase === 'shedding' || phase === 'trial') return 'trying';
    return phase === 'decided' && this.current < this.config.max ? 'fewer' : null;
  }

  private get enabled(): boolean {
    return this.config.fastAbove > 0 && this.config.max > this.config.fewer;
  }

  /**
   * Feeds the bytes received so far and the connections running now; returns the target. Called
   * as bytes land, so a phase ends at the first landing after its window.
   */
  update(now: number, bytes: number, live: number): number {
    if (!this.enabled) return this.current;
    const c = this.config;
    const s = this.state;
    switch (s.phase) {
      case 'all': {
        // A window counts only while every connection runs: not at the start, not in the last
        // pieces, not while one waits to retry.
        if (live < c.max) {
          s.from = -1;
          break;
        }
        if (s.from < 0) {
          s.from = now;
          s.bytes = bytes;
          break;
        }
        if (now - s.from < c.windowMs) break;
        const rate = ((bytes - s.bytes) * 1000) / (now - s.from);
        if (rate >= c.fastAbove) {
          this.state = { phase: 'shedding', allRate: rate };
          this.current = c.fewer;
        } else {
          s.from = now;
          s.bytes = bytes;
        }
        break;
      }
      case 'shedding':
        if (live <= c.fewer) this.state = { phase: 'trial', allRate: s.allRate, from: now, bytes };
        break;
      case 'trial': {
        const elapsed = now - s.from;
        if (elapsed < c.windowMs) break;
        const fewerRate = ((bytes - s.bytes) * 1000) / elapsed;
        const keep = fewerRate >= c.keepShare * s.allRate;
        const undecided = !keep && fewerRate >= c.loseShare * s.allRate && elapsed < c.trialWindows * c.windowMs;
        if (undecided) break;
        this.decisions.push({ allRate: s.allRate, fewerRate, kept: keep ? 'fewer' : 'all' });
        this.current = keep ? c.fewer : c.max;
        this.state = { phase: 'decided', until: now + c.recheckMs };
        break;
      }
      case 'decided':
        if (now >= s.until) {
          this.state = { phase: 'all', from: -1, bytes: 0 };
          this.current = c.max;
        }
        break;
    }
    return this.current;
  }

  /**
   * True while connections may soon have to step out: the download is fast with every connection
   * (or shedding). Pieces then stay short, so that a trial starts within a piece's time.
   */
  shortPieces(now: number, bytes: number): boolean {
    if (!this.enabled) return false;
    const s = this.state;
    if (s.phase === 'shedding') return true;
    if (s.phase !== 'all' || s.from < 0 || now - s.from < this.config.windowMs / 5) return false;
    return ((bytes - s.bytes) * 1000) / (now - s.from) >= this.config.fastAbove;
  }
}
