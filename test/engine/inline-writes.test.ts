// Where full slabs are written: inline on the main thread or in the thread pool, from the number of
// busy connections and how busy the main thread has been (a scripted clock and load).
import type { EventLoopUtilization } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { BUSY_ABOVE, createInlineWritePolicy, IDLE_BELOW, INLINE_PAUSE_MS, SAMPLE_MS, SLOW_INLINE_WRITE_MS } from '../../main/engine/inline-writes.js';

/** A clock whose main-thread load over the last sample is whatever the test sets. */
function scripted() {
  const state = { now: 0, load: 0 };
  const clock = {
    now: () => state.now,
    utilization: (previous?: EventLoopUtilization): EventLoopUtilization => ({ idle: 0, active: 0, utilization: previous ? state.load : 0 }),
  };
  return { state, policy: createInlineWritePolicy(clock) };
}

describe('inline writes', () => {
  it('writes inline with up to two busy connections, whatever the load', () => {
    const { state, policy } = scripted();
    state.load = 1;
    state.now = SAMPLE_MS;
    expect(policy.inline(1)).toBe(true);
    expect(policy.inline(2)).toBe(true);
  });

  it('uses the thread pool with more connections until the main thread is seen idle', () => {
    const { state, policy } = scripted();
    state.load = 0.1;
    expect(policy.inline(16)).toBe(false); // nothing measured yet
    state.now = SAMPLE_MS - 1;
    expect(policy.inline(16)).toBe(false);
    state.now = SAMPLE_MS;
    expect(policy.inline(16)).toBe(true);
  });

  it('keeps to its choice between the two thresholds, so its own writes cannot flip it', () => {
    const { state, policy } = scripted();
    const sample = (load: number) => {
      state.load = load;
      state.now += SAMPLE_MS;
      return policy.inline(8);
    };
    expect(sample(IDLE_BELOW - 0.1)).toBe(true);
    expect(sample((IDLE_BELOW + BUSY_ABOVE) / 2)).toBe(true); // busier, still under BUSY_ABOVE: inline
    expect(sample(BUSY_ABOVE + 0.1)).toBe(false); // the sockets need the main thread: the pool
    expect(sample((IDLE_BELOW + BUSY_ABOVE) / 2)).toBe(false); // not idle enough to come back
    expect(sample(IDLE_BELOW - 0.1)).toBe(true);
  });

  it('looks at the load again only every SAMPLE_MS', () => {
    const { state, policy } = scripted();
    state.load = 0.1;
    state.now = SAMPLE_MS;
    expect(policy.inline(8)).toBe(true);
    state.load = 1;
    state.now += SAMPLE_MS / 2;
    expect(policy.inline(8)).toBe(true);
    state.now += SAMPLE_MS / 2;
    expect(policy.inline(8)).toBe(false);
  });

  it('sends every write to the pool for a minute after a slow inline write', () => {
    const { state, policy } = scripted();
    state.now = 1000;
    policy.wroteInline(SLOW_INLINE_WRITE_MS); // not slow
    expect(policy.inline(1)).toBe(true);
    policy.wroteInline(SLOW_INLINE_WRITE_MS + 1);
    expect(policy.inline(1)).toBe(false);
    state.now += INLINE_PAUSE_MS - 1;
    expect(policy.inline(1)).toBe(false);
    state.now += 1;
    expect(policy.inline(1)).toBe(true);
  });
});
