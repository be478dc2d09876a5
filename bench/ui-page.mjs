// What the UI benchmark runs inside the page. These functions are serialized by Playwright and run
// in Chromium, so they use nothing from this module's scope.
/* global window, document, performance, requestAnimationFrame, PerformanceObserver, MutationObserver, MessageChannel */

/**
 * Init script, added after the e2e shim that builds `window.ferry`: wraps the API's `on` so every
 * progress message the renderer's own subscription receives is counted (time, downloads in it, time
 * the renderer's handler took), times the first `list()` and the first row in the DOM (page clock,
 * 0 = navigation start), and records long animation frames / long tasks when Chromium has them.
 */
export function installProbe() {
  const probe = { progress: [], loaf: [], longtasks: [], observers: [], load: {} };
  window.__uiBench = probe;
  const api = window.ferry;
  if (api) {
    window.ferry = Object.freeze({
      ...api,
      // When the window asked for the queue and when the answer (over the binding) arrived.
      list(...args) {
        probe.load.listCall ??= performance.now();
        return api.list(...args).finally(() => (probe.load.listDone ??= performance.now()));
      },
      on(event, listener) {
        if (event !== 'progress') return api.on(event, listener);
        return api.on(event, (batch) => {
          const t = performance.now();
          listener(batch);
          probe.progress.push({ t, n: batch.updated.length + batch.removed.length, ms: performance.now() - t });
        });
      },
    });
  }
  const firstRow = new MutationObserver(() => {
    if (!document.querySelector('.queue-rows [role="row"]')) return;
    probe.load.firstRow = performance.now();
    firstRow.disconnect();
  });
  firstRow.observe(document, { childList: true, subtree: true });
  const types = PerformanceObserver.supportedEntryTypes ?? [];
  if (types.includes('long-animation-frame')) {
    probe.observers.push('long-animation-frame');
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        probe.loaf.push({
          start: e.startTime,
          duration: e.duration,
          blocking: e.blockingDuration,
          renderStart: e.renderStart,
          styleAndLayoutStart: e.styleAndLayoutStart,
          scripts: e.scripts.map((s) => ({
            invoker: s.invoker,
            invokerType: s.invokerType,
            fn: s.sourceFunctionName,
            duration: s.duration,
            forcedStyleAndLayout: s.forcedStyleAndLayoutDuration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  }
  if (types.includes('longtask')) {
    probe.observers.push('longtask');
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  }
}

/** Waits `ms` on the page clock and returns the progress messages received meanwhile. */
export async function progressWindow(ms) {
  const from = performance.now();
  await new Promise((resolve) => window.setTimeout(resolve, ms));
  const to = performance.now();
  const got = window.__uiBench.progress.filter((p) => p.t >= from && p.t < to);
  return { from, to, messages: got };
}

/** rAF timestamps on the page as it is (progress still arriving) for `ms`, and their median interval. */
export async function idleFrames(ms) {
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  await nextFrame();
  const stamps = [await nextFrame()];
  while (stamps.at(-1) - stamps[0] < ms) stamps.push(await nextFrame());
  const intervals = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  return { stamps, base: intervals[Math.floor(intervals.length / 2)] };
}

/**
 * Scrolls the queue from top to bottom in `seconds / 2` and back up in as long, one step per frame
 * (each step lands as in scrollSteady, which says why), and records every frame's timestamp. The
 * position follows the clock (as a fling or a dragged scrollbar does), so the round trip lasts
 * about `seconds` however slow the page is: a late frame shows up as a long interval and a bigger
 * jump, not a longer run. At the bottom it waits (up to 60 frames) until the last row (aria-rowindex = rowCount + 1) is
 * rendered inside the viewport, and records how many frames that took.
 */
export function scrollRoundTrip({ seconds, rowCount, rowSelector, scrollSelector }) {
  const scroller = document.querySelector(scrollSelector);
  if (!scroller) throw new Error(`no ${scrollSelector} in the page`);
  const maxScroll = scroller.scrollHeight - scroller.clientHeight;
  const leg = (seconds * 1000) / 2;
  scroller.scrollTop = 0;
  // When each step lands: see scrollSteady. (Serialized into the page: nothing shared between them.)
  const channel = new MessageChannel();
  channel.port1.onmessage = (e) => (scroller.scrollTop = e.data);
  const setSoon = (px) => channel.port2.postMessage(px);
  return new Promise((resolve) => {
    const stamps = [];
    const rowCounts = [];
    let phase = 'down';
    let legStart = null;
    let pos = 0;
    let waited = 0;
    let lastRow = null;
    const tick = (ts) => {
      stamps.push(ts);
      rowCounts.push(scroller.querySelectorAll(rowSelector).length);
      legStart ??= ts;
      if (phase === 'down') {
        // Set at the bottom by the previous frame: its rows are in the DOM now. (Only positions this
        // loop set are compared, never scrollTop read back, which would force a layout in here.)
        if (pos >= maxScroll) phase = 'bottom';
        else pos = Math.min(maxScroll, Math.round((maxScroll * (ts - legStart)) / leg));
      }
      if (phase === 'bottom') {
        // The rows for a new scrollTop are rendered on its scroll event, in the frame after it is set.
        const el = scroller.querySelector(`[role="row"][aria-rowindex="${rowCount + 1}"]`);
        const box = el?.getBoundingClientRect();
        const view = scroller.getBoundingClientRect();
        const inView = Boolean(box && box.top >= view.top - 1 && box.bottom <= view.bottom + 1);
        if (inView || waited >= 60) {
          lastRow = { found: Boolean(el), inView, framesWaited: waited, name: el?.querySelector('.file-name')?.textContent ?? null };
          phase = 'up';
          legStart = ts;
        } else waited++;
      }
      if (phase === 'up') {
        if (pos === 0) {
          resolve({ maxScroll, clientHeight: scroller.clientHeight, stamps, rowCounts, lastRow });
          return;
        }
        pos = Math.max(0, maxScroll - Math.round((maxScroll * (ts - legStart)) / leg));
      }
      setSoon(pos);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * A slower, steady scroll for comparison: `step` px every frame for `ms`, from `fromPx`, as a
 * mouse wheel or trackpad moves. Most rows stay mounted from one frame to the next here, where the
 * round trip (dozens of rows per frame) replaces every row on every frame.
 */
export function scrollSteady({ step, ms, fromPx, scrollSelector }) {
  const scroller = document.querySelector(scrollSelector);
  scroller.scrollTop = fromPx;
  // Each step's scrollTop is set in a task after the frame that timed it (a MessageChannel message),
  // not in the frame callback: its scroll event then runs at the start of the next frame, before that
  // frame paints, as for a user's wheel or dragged scrollbar, so the page's scroll listeners (the
  // virtualized list's) do their work in the frame that shows it. Set inside requestAnimationFrame, a
  // scroll's event would run only in the frame after the one that painted it: a virtualized list would
  // paint each frame with the rows of the frame before, blank all through a fling (no damage, nothing
  // for Chromium to present), and look cheaper than it is.
  const channel = new MessageChannel();
  channel.port1.onmessage = (e) => (scroller.scrollTop = e.data);
  const setSoon = (px) => channel.port2.postMessage(px);
  return new Promise((resolve) => {
    const stamps = [];
    let pos = fromPx;
    const tick = (ts) => {
      stamps.push(ts);
      if (ts - stamps[0] >= ms) {
        resolve({ stamps });
        return;
      }
      pos += step;
      setSoon(pos);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** The probe's long frames and long tasks between two page-clock times. */
export function longFramesBetween([from, to]) {
  const p = window.__uiBench;
  return {
    observers: p.observers,
    loaf: p.loaf.filter((e) => e.start >= from && e.start < to),
    longtasks: p.longtasks.filter((e) => e.start >= from && e.start < to),
    progress: p.progress.filter((e) => e.t >= from && e.t < to),
  };
}

/**
 * The reference page (built in Node, loaded with page.setContent): `count` plain rows of the same
 * height in one static, non-virtualized list, no script at all. The same scrolls on it show what
 * this Chromium on this machine manages when a frame has nothing to do but scroll and paint,
 * i.e. the floor under the app's numbers.
 */
export function referenceHtml(count, rowHeight) {
  const rows = [];
  for (let i = 1; i <= count; i++) {
    rows.push(`<div role="row" aria-rowindex="${i + 1}" class="r"><span class="file-name">file-${String(i).padStart(5, '0')}.bin</span><span>${i % 97} MB</span><span>${i % 100}%</span><span>Paused</span></div>`);
  }
  return `<!doctype html><style>
body { margin: 0; font: 13px system-ui, sans-serif; }
.queue-scroll { height: 600px; overflow-y: auto; }
.r { height: ${rowHeight - 1}px; border-bottom: 1px solid #ddd; display: grid; grid-template-columns: 1fr 84px 170px 108px; align-items: center; padding: 0 12px; }
</style><div class="queue-scroll"><div class="queue-rows">${rows.join('')}</div></div>`;
}
