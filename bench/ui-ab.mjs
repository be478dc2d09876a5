#!/usr/bin/env node
// A/B of built renderers on the UI benchmark's scrolls: runs bench/ui.mjs's runUiBenchmark for each
// renderer folder in turn (A B A B …, so machine noise falls on both alike) and prints, per run and
// as medians, the round trip's late frames and p95, the steady scroll's late frames and the static
// page's floor of the same run. Nothing asserts timing.
// --trace also traces each round trip and prints the page main thread's CPU time per frame (thread
// time: steadier than frame intervals on a busy machine).
// Usage: node bench/ui-ab.mjs [--runs N] [--seconds S] [--trace] DIR_A [DIR_B …]
//   e.g. node -e "import('./scripts/build-renderer.mjs').then((m) => m.buildRenderer({ outdir: '/tmp/rB' }))"
//        node bench/ui-ab.mjs --runs 3 dist/renderer /tmp/rB
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runUiBenchmark } from './ui.mjs';
import { rendererMainEvents } from './ui-trace.mjs';

/**
 * CPU time (thread time, so less hurt by other processes than frame intervals) of the page's main
 * thread over the traced round trip: in all and for the main kinds of work, in ms per frame.
 */
function traceCpu(file, frames) {
  const best = rendererMainEvents(file, 'tdur');
  const kinds = { script: ['FunctionCall', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'v8.callFunction', 'EvaluateScript'], style: ['UpdateLayoutTree'], layout: ['Layout', 'LocalFrameView::performLayout'], paint: ['Paint', 'PrePaint'] };
  const kindOf = new Map(Object.entries(kinds).flatMap(([k, names]) => names.map((n) => [n, k])));
  // Self thread time per kind: nested events' time goes to them, not to what encloses them.
  const sum = { total: 0, script: 0, style: 0, layout: 0, paint: 0 };
  const stack = [];
  for (const e of best) {
    while (stack.length && stack.at(-1).end <= e.ts) stack.pop();
    const parent = stack.at(-1);
    const kind = kindOf.get(e.name);
    if (parent) {
      if (parent.kind) sum[parent.kind] -= e.tdur;
    } else sum.total += e.tdur;
    if (kind) sum[kind] += e.tdur;
    stack.push({ kind, end: e.ts + e.dur });
  }
  return Object.fromEntries(Object.entries(sum).map(([k, us]) => [k, us / 1000 / Math.max(1, frames)]));
}

const { values, positionals } = parseArgs({
  options: { trace: { type: 'boolean', default: false }, runs: { type: 'string', default: '2' }, seconds: { type: 'string', default: '5' }, count: { type: 'string', default: '10000' } },
  allowPositionals: true,
});
if (!positionals.length) {
  process.stderr.write('usage: node bench/ui-ab.mjs [--runs N] [--seconds S] [--count N] DIR_A [DIR_B …]\n');
  process.exit(2);
}
const dirs = positionals.map((d) => path.resolve(d));
const runs = Number(values.runs);
const pct = (f) => (f.frames > 1 ? (100 * f.lateIntervals) / (f.frames - 1) : NaN);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const results = new Map(dirs.map((d) => [d, []]));
const quiet = () => {};
for (let r = 0; r < runs; r++) {
  for (const dir of dirs) {
    const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-ui-ab-'));
    const { measured: m } = await runUiBenchmark({ rendererDir: dir, seconds: Number(values.seconds), count: Number(values.count), write: false, log: quiet, trace: values.trace, resultsDir });
    const cpu = values.trace ? traceCpu(m.diagnostics.trace.file, m.scrollFrames.frames) : null;
    rmSync(resultsDir, { recursive: true, force: true });
    const row = {
      flingLate: pct(m.scrollFrames),
      flingP95: m.scrollFrames.p95,
      flingP50: m.scrollFrames.p50,
      steadyLate: pct(m.steadyFrames),
      floorFling: pct(m.reference.trip),
      floorSteady: pct(m.reference.steady),
      flingCpu: m.scrollFrames.mainCpuMs ?? NaN,
      steadyCpu: m.steadyFrames.mainCpuMs ?? NaN,
      // The rest of Chromium's work per steady frame: raster workers and the display compositor.
      steadyRaster: m.steadyFrames.threadCpuMs?.raster ?? NaN,
      steadyDisplay: m.steadyFrames.threadCpuMs?.display ?? NaN,
      maxRows: m.scroll.maxRows,
      errors: m.pageErrors.length,
      ...(cpu ? { cpuFrame: cpu.total, cpuScript: cpu.script, cpuStyle: cpu.style, cpuLayout: cpu.layout, cpuPaint: cpu.paint } : {}),
    };
    results.get(dir).push(row);
    process.stdout.write(
      `run ${r + 1} ${dir}: fling ${row.flingLate.toFixed(1)} % late, p50 ${row.flingP50.toFixed(1)} p95 ${row.flingP95.toFixed(1)} ms; steady ${row.steadyLate.toFixed(1)} % late; floor ${row.floorFling.toFixed(1)} / ${row.floorSteady.toFixed(1)} %; main thread CPU/frame ${row.flingCpu.toFixed(2)} / ${row.steadyCpu.toFixed(2)} ms; steady raster / display ${row.steadyRaster.toFixed(2)} / ${row.steadyDisplay.toFixed(2)} ms; rows ≤ ${row.maxRows}; page errors ${row.errors}${cpu ? `; main thread CPU per frame ${cpu.total.toFixed(2)} ms (script ${cpu.script.toFixed(2)}, style ${cpu.style.toFixed(2)}, layout ${cpu.layout.toFixed(2)}, paint ${cpu.paint.toFixed(2)})` : ''}\n`,
    );
  }
}
process.stdout.write('\nmedians:\n');
for (const [dir, rows] of results) {
  const med = (k, digits = 1) => median(rows.map((x) => x[k])).toFixed(digits);
  process.stdout.write(
    `${dir}: fling ${med('flingLate')} % late, p95 ${med('flingP95')} ms; steady ${med('steadyLate')} % late; floor ${med('floorFling')} / ${med('floorSteady')} %; main thread CPU/frame ${med('flingCpu', 2)} / ${med('steadyCpu', 2)} ms; steady raster / display ${med('steadyRaster', 2)} / ${med('steadyDisplay', 2)} ms${values.trace ? `; CPU/frame ${med('cpuFrame')} ms (script ${med('cpuScript')}, style ${med('cpuStyle')}, layout ${med('cpuLayout')}, paint ${med('cpuPaint')})` : ''} (${rows.length} runs)\n`,
  );
}
