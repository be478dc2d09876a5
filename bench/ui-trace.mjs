// Optional diagnostics of the UI benchmark's scroll round trip. --trace: a Chromium performance trace
// and where the page's main thread spent its time (self time per trace event name, nested events
// subtracted): script, style, layout, paint or something else; the file opens in Perfetto
// (ui.perfetto.dev) or chrome://tracing. --profile: a V8 CPU profile of the page, top functions by
// self time (readable names need an unminified renderer build, see --renderer).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink',
  'v8.execute',
  'toplevel',
];

/**
 * The complete ('X') events of the page's busiest CrRendererMain thread in a trace file that carry
 * `field` ('dur': wall time, 'tdur': thread time), in order, enclosing events before nested ones.
 */
export function rendererMainEvents(file, field = 'dur') {
  const { traceEvents = [] } = JSON.parse(readFileSync(file, 'utf8'));
  const mains = new Set(
    traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || typeof e[field] !== 'number' || !mains.has(`${e.pid}:${e.tid}`)) continue;
    const k = `${e.pid}:${e.tid}`;
    if (!byThread.has(k)) byThread.set(k, []);
    byThread.get(k).push(e);
  }
  let best = [];
  for (const events of byThread.values()) if (events.length > best.length) best = events;
  return best.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
}

/** Self time in ms per event name on the busiest CrRendererMain thread; top `limit`, plus the total. */
export function summarizeTrace(file, limit = 12) {
  const best = rendererMainEvents(file);
  const self = new Map();
  const stack = [];
  let busy = 0;
  for (const e of best) {
    while (stack.length && stack.at(-1).end <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - Math.min(e.dur, parent.end - e.ts));
    else busy += e.dur;
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur);
    stack.push({ name: e.name, end: e.ts + e.dur });
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([name, us]) => ({ name, ms: us / 1000 }));
  return { busyMs: busy / 1000, top };
}

/** Self time in ms per function of a V8 CPU profile (CDP Profiler.stop), top `limit`. */
export function summarizeProfile(profile, limit = 12) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const f = nodes.get(id)?.callFrame;
    if (!f) return;
    const file = f.url ? f.url.slice(f.url.lastIndexOf('/') + 1) : '';
    const key = `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([fn, us]) => ({ fn, ms: us / 1000 }));
}

/**
 * Starts what --trace and --profile ask for on `page`; the returned stop() writes the files into
 * `dir` and returns their summaries ({ trace, jsProfile }, each null when not asked for).
 */
export async function startDiagnostics({ browser, context, page, trace, profile, dir, stamp }) {
  if (trace || profile) mkdirSync(dir, { recursive: true });
  const traceFile = trace ? path.join(dir, `ui-${stamp}.trace.json`) : null;
  if (traceFile) await browser.startTracing(page, { path: traceFile, categories: TRACE_CATEGORIES });
  const cdp = profile ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  return async function stop() {
    if (traceFile) await browser.stopTracing();
    let jsProfile = null;
    if (cdp) {
      const { profile: p } = await cdp.send('Profiler.stop');
      await cdp.detach();
      const file = path.join(dir, `ui-${stamp}.cpuprofile`);
      writeFileSync(file, JSON.stringify(p));
      jsProfile = { file, top: summarizeProfile(p) };
    }
    return { trace: traceFile ? { file: traceFile, ...summarizeTrace(traceFile) } : null, jsProfile };
  };
}

/** The summaries as Markdown lines under the report. */
export function diagnosticsMarkdown({ trace, jsProfile }, cwd) {
  const lines = [];
  if (trace) {
    const top = trace.top.map((e) => `${e.name} ${e.ms.toFixed(0)} ms`).join(', ');
    lines.push(`trace of the round trip (${path.relative(cwd, trace.file)}): renderer main thread busy ${trace.busyMs.toFixed(0)} ms; self time: ${top}`);
  }
  if (jsProfile) {
    const top = jsProfile.top.map((e) => `${e.fn} ${e.ms.toFixed(0)} ms`).join(', ');
    lines.push(`JS profile of the round trip (${path.relative(cwd, jsProfile.file)}), self time: ${top}`);
  }
  return lines;
}
