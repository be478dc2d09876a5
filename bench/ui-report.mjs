// Turns the UI benchmark's raw measurements into rows (metric | value | target | met?), the targets
// list (same shape as bench/report.mjs: { target, status: met | missed | not evaluated, detail }),
// and the Markdown report.

export const UI_TARGETS = {
  openMs: 500, // engine opens the 10,000-download database and lists it
  progressPerS: 10, // progress messages the window receives
  maxRowsInDom: 100, // the list is virtualized
  lateFactor: 1.5, // a frame interval above 1.5 × the idle base interval is a late (dropped) frame
};
export const BUSY_WARN_CORES = 0.25;
const ROW_PX = 48; // the queue's fixed row height (renderer/components/QueueList.tsx)

export function percentile(values, p) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))];
}

const fmt = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

/**
 * Frame statistics. "Late" (dropped) is defined against the base interval B measured on the idle page
 * just before scrolling (the median rAF interval; 16.7 ms when headless Chromium runs at 60 Hz, but
 * it need not): an interval > 1.5 × B means at least one vsync passed without a new frame. With B
 * unknown, 25 ms (1.5 × 16.7) is used. The frames it cost are estimated as round(interval / B) - 1.
 */
export function frameStats(stamps, base) {
  const b = Number.isFinite(base) && base > 0 ? base : null;
  const threshold = b ? UI_TARGETS.lateFactor * b : 25;
  const intervals = stamps.slice(1).map((t, i) => t - stamps[i]);
  const late = intervals.filter((iv) => iv > threshold);
  return {
    frames: stamps.length,
    durationMs: stamps.length > 1 ? stamps.at(-1) - stamps[0] : 0,
    base: b,
    threshold,
    p50: percentile(intervals, 50),
    p95: percentile(intervals, 95),
    p99: percentile(intervals, 99),
    max: intervals.length ? Math.max(...intervals) : null,
    lateIntervals: late.length,
    droppedFrames: late.reduce((n, iv) => n + Math.max(1, Math.round(iv / (b ?? 16.7)) - 1), 0),
    intervals,
  };
}

/**
 * The median of several reps of one scroll: the rep whose late frames are the median (ties go to the
 * one with the higher p95; with an even count, the worse of the middle two). Every row of the report
 * is that rep's, so its numbers belong together.
 */
export function medianRep(reps) {
  const sorted = [...reps].sort((a, b) => a.lateIntervals - b.lateIntervals || (a.p95 ?? 0) - (b.p95 ?? 0));
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

/** Progress messages: rate, the busiest 1 s window, downloads per message, handler time. */
export function progressStats(messages, windowMs) {
  const t = messages.map((m) => m.t);
  let busiest = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (j < t.length && t[j] < t[i] + 1000) j++;
    busiest = Math.max(busiest, j - i);
  }
  const gaps = t.slice(1).map((x, i) => x - t[i]);
  return {
    count: messages.length,
    perSecond: windowMs > 0 ? (messages.length * 1000) / windowMs : null,
    busiest1s: busiest,
    minGapMs: gaps.length ? Math.min(...gaps) : null,
    medianDownloads: percentile(messages.map((m) => m.n), 50),
    handlerP95Ms: percentile(messages.map((m) => m.ms), 95),
    handlerMaxMs: messages.length ? Math.max(...messages.map((m) => m.ms)) : null,
  };
}

/** Where the long animation frames spent their time: scripts, style + layout, the rest of rendering. */
export function longFrameStats(loaf, longtasks) {
  let script = 0;
  let styleLayout = 0;
  let total = 0;
  let blocking = 0;
  const invokers = new Map();
  for (const e of loaf) {
    total += e.duration;
    blocking += e.blocking ?? 0;
    const end = e.start + e.duration;
    if (e.styleAndLayoutStart) styleLayout += end - e.styleAndLayoutStart;
    for (const s of e.scripts) {
      script += s.duration;
      const key = `${s.invokerType ?? '?'} ${s.invoker ?? ''}`.trim();
      invokers.set(key, (invokers.get(key) ?? 0) + s.duration);
    }
  }
  const top = [...invokers].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`);
  return {
    count: loaf.length,
    maxMs: loaf.length ? Math.max(...loaf.map((e) => e.duration)) : 0,
    totalMs: total,
    blockingMs: blocking,
    scriptMs: script,
    styleLayoutMs: styleLayout,
    otherMs: Math.max(0, total - script - styleLayout),
    topInvokers: top,
    longtasks: longtasks.length,
  };
}

const lateText = (f) =>
  `${f.lateIntervals} late of ${f.frames - 1} (${fmt((100 * f.lateIntervals) / Math.max(1, f.frames - 1), 1)} %), ~${f.droppedFrames} frames dropped`;
/** "median rep's text (reps: 0 / 4 / 1 late)", when there were several. */
const repsText = (f, reps) => (reps && reps.length > 1 ? `${lateText(f)}; per rep ${reps.map((r) => r.lateIntervals).join(' / ')} late` : lateText(f));
const status = (ok) => (ok === null ? 'not evaluated' : ok ? 'met' : 'missed');
const cell = (s) => (s === 'met' ? 'met' : s === 'missed' ? 'MISSED' : s === 'not evaluated' ? 'n/a' : '—');

/** rows: { metric, value, target, met }; targets: { target, status, detail }. */
export function buildRows(m) {
  const rows = [];
  const targets = [];
  const add = (metric, value, target = '—', met = '—') => rows.push({ metric, value, target, met });
  const judged = (metric, value, target, ok, detail = value) => {
    const s = status(ok);
    targets.push({ target: `${metric} ${target}`, status: s, detail });
    add(metric, value, target, cell(s));
  };

  const o = m.open;
  judged(`engine: open DB → first list (${m.count.toLocaleString('en-US')} downloads)`, `${fmt(o.totalMs, 0)} ms`, `≤ ${UI_TARGETS.openMs} ms`, o.totalMs <= UI_TARGETS.openMs);
  add('  open store / engine.start() / engine.list()', `${fmt(o.storeMs, 0)} / ${fmt(o.startMs, 0)} / ${fmt(o.listMs, 0)} ms`);
  add('  the same, opened again (warm)', o.later.length ? `${o.later.map((x) => fmt(x, 0)).join(', ')} ms` : 'n/a');
  add('  IPC list answer (router + JSON)', `${fmt(o.ipcListMs, 0)} ms, ${fmt(o.ipcListBytes / 1048576, 1)} MiB`);
  const w0 = m.window;
  add('window: load → first rows shown', `${fmt(w0.firstRow ?? w0.firstRowsMs, 0)} ms`);
  add('  list() asked at / answered at (over the test binding)', `${fmt(w0.listCall, 0)} / ${fmt(w0.listDone, 0)} ms`);

  const p = m.progress;
  judged('progress messages received by the window', `${fmt(p.perSecond, 1)} /s (${p.count} in ${fmt(m.progressWindowMs / 1000, 1)} s)`, `≤ ${UI_TARGETS.progressPerS} /s`,
    p.perSecond === null ? null : p.perSecond <= UI_TARGETS.progressPerS);
  add('  busiest 1 s / min gap / downloads per message', `${p.busiest1s} / ${fmt(p.minGapMs, 0)} ms / ${p.medianDownloads ?? 'n/a'}`);
  add('  main sent (router events, same 5 s)', `${fmt(m.mainProgressPerSecond, 1)} /s`);
  add('  renderer handler time p95 / max', `${fmt(p.handlerP95Ms, 2)} / ${fmt(p.handlerMaxMs, 2)} ms`);
  add('  active downloads / bytes served', `${m.activeDownloading} of ${m.active} downloading, ${fmt(m.servedMiB, 0)} MiB served`);

  const i = m.idleFrames;
  add('frames: base interval (idle page, progress arriving)', `${fmt(i.base, 2)} ms (${fmt(1000 / i.base, 0)} Hz); late ${i.lateIntervals} of ${i.frames - 1}`);
  const s = m.scrollFrames;
  const perFrame = m.scroll.maxScroll / Math.max(1, (s.frames - 1) / 2);
  add('scroll: top → bottom → top', `${s.frames} frames in ${fmt(s.durationMs / 1000, 2)} s (${fmt((1000 * (s.frames - 1)) / s.durationMs, 0)} fps), ~${fmt(perFrame, 0)} px (${fmt(perFrame / ROW_PX, 0)} rows) per frame`);
  judged('scroll frame interval (round trip)', `p50 ${fmt(s.p50)} / p95 ${fmt(s.p95)} / p99 ${fmt(s.p99)} / max ${fmt(s.max)} ms`, `p95 ≤ ${fmt(s.threshold)} ms (1.5 × base)`,
    s.p95 === null ? null : s.p95 <= s.threshold);
  const r = m.reference;
  // "Without dropped frames" is judged against the floor: a static page of plain rows, no script, in
  // the same browser and run, drops what this machine drops (2 cores shared with the engine); the
  // queue must not drop more.
  // With several reps, both sides are their median rep (see medianRep).
  judged('scroll dropped frames (round trip)', repsText(s, m.tripReps), `≤ the static page's (${r.trip.lateIntervals})`, s.lateIntervals <= r.trip.lateIntervals);
  const w = m.steadyFrames;
  add(`steady scroll, ${m.steadyStep} px (${fmt(m.steadyStep / ROW_PX, 0)} rows) per frame`, `${w.frames} frames, p50 ${fmt(w.p50)} / p95 ${fmt(w.p95)} / max ${fmt(w.max)} ms`);
  judged('steady scroll dropped frames', repsText(w, m.steadyReps), `≤ the static page's (${r.steady.lateIntervals})`, w.lateIntervals <= r.steady.lateIntervals);
  add('reference: static page, no script (round trip / steady)', `${repsText(r.trip, r.tripReps)} / ${repsText(r.steady, r.steadyReps)}`, '(the floor here)');
  // Where a frame's CPU goes, per thread: the page's main thread is the queue's own work; raster and
  // the display compositor grow with what changes on screen (and drop to ~0 if nothing does).
  const threads = (f) => (f.threadCpuMs ? ['main', 'raster', 'compositor', 'display'].map((k) => fmt(f.threadCpuMs[k], 1)).join(' / ') : 'n/a');
  add('Chromium CPU per frame, round trip: main / raster / compositor / display', `queue ${threads(s)} ms; static page ${threads(r.trip)} ms`);
  add('Chromium CPU per frame, steady: main / raster / compositor / display', `queue ${threads(w)} ms; static page ${threads(r.steady)} ms`);
  add('progress while scrolling', `${fmt(m.progressWhileScrolling.perSecond, 1)} /s`);
  add('main (Node) event loop delay p99 / max', `${fmt(m.mainLoopDelay.p99Ms, 0)} / ${fmt(m.mainLoopDelay.maxMs, 0)} ms`);
  const l = m.longFrames;
  add('long animation frames while scrolling', m.loafSupported
    ? `${l.count}, max ${fmt(l.maxMs, 0)} ms, blocking ${fmt(l.blockingMs, 0)} ms; script ${fmt(l.scriptMs, 0)} / style+layout ${fmt(l.styleLayoutMs, 0)} / other ${fmt(l.otherMs, 0)} ms`
    : 'not supported by this Chromium');
  judged('row elements in the DOM while scrolling', `max ${m.scroll.maxRows} (min ${m.scroll.minRows})`, `< ${UI_TARGETS.maxRowsInDom}`, m.scroll.maxRows < UI_TARGETS.maxRowsInDom);
  const last = m.scroll.lastRow;
  judged('last row reachable', last?.inView ? `yes: ${last.name} in view (after ${last.framesWaited} frames)` : `no${last?.found ? ' (rendered, not in view)' : ''}`,
    'in view at the bottom', Boolean(last?.inView && last.name === m.lastName));
  add('page errors', m.pageErrors.length ? `${m.pageErrors.length}: ${m.pageErrors.slice(0, 3).join('; ')}` : 'none');
  const cpu = (c) => `${fmt(c.node, 2)} / ${fmt(c.chromium, 2)} / ${fmt(c.others, 2)}`;
  const busy = Math.max(m.cores.progress.others ?? 0, m.cores.scroll.others ?? 0) > BUSY_WARN_CORES;
  add('cores: Node (engine + harness) / Chromium / others', `progress ${cpu(m.cores.progress)}; scroll ${cpu(m.cores.scroll)}${busy ? ' (busy machine: noisy)' : ''}`);
  return { rows, targets };
}

function markdownTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

const escapeCell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderUiReport({ rows, targets, meta }) {
  const lines = [];
  lines.push(`## Ferry UI benchmark — ${meta.startedAt}`);
  lines.push('');
  lines.push(`${meta.count.toLocaleString('en-US')} downloads, ${meta.active} active at ${meta.rateKiB} KiB/s each; ${meta.chromium}; node ${meta.node}; ${meta.cpus} cores; commit ${meta.gitCommit ?? '?'}`);
  if (meta.otherCores !== null && meta.otherCores > BUSY_WARN_CORES) {
    lines.push('');
    lines.push(`**WARNING: other processes kept ${meta.otherCores.toFixed(2)} of ${meta.cpus} cores busy during the run; timings are noisy. Rerun on an idle machine.**`);
  }
  lines.push('');
  lines.push(markdownTable(['metric', 'value', 'target', 'met?'], rows.map((r) => [r.metric, r.value, r.target, r.met].map(escapeCell))));
  lines.push('');
  lines.push('A frame is late (dropped) when its requestAnimationFrame interval exceeds 1.5 × the base interval measured on the idle page just before (25 ms at 60 Hz); "frames dropped" estimates the vsyncs missed (interval / base − 1, rounded). The round trip replaces every row on every frame; the steady scroll moves 3 rows a frame; the reference is the same scrolls on a static page of plain rows without script, in the same browser: the floor for this machine, and the bar for "without dropped frames". Each scroll runs several times (reps) on the queue and on the static page; each side is judged on its median rep (by late frames), whose numbers the rows show. Both scrolls set the scrollTop of each step between frames, so the page\'s scroll listeners run before the frame that shows the step paints, as for a user\'s wheel or scrollbar. CPU per frame is thread time from /proc: the page\'s main thread (script, style, layout, paint), the raster workers, the renderer\'s compositor thread and the GPU process\'s display compositor (software here).');
  lines.push('');
  lines.push('### targets');
  lines.push('');
  for (const t of targets) lines.push(`- **${t.status}** — ${t.target}: ${t.detail}`);
  return lines.join('\n');
}
