#!/usr/bin/env node
// The 10,000-download case, end to end: a real SQLite database with 10,000 downloads opened by the
// real engine (dist/main), 16 of them really downloading from a slow loopback server, and the built
// renderer in headless Chromium with `window.ferry` carried to the real IPC router as in
// test/e2e/harness.ts. Measures: engine open → first list, progress messages the window receives per
// second, and frame times while the virtualized queue scrolls (with a static page as the floor).
// Usage: npm run build && node bench/ui.mjs [options] (see USAGE). The report (Markdown) goes to
// stdout, progress to stderr, raw numbers to bench/results/ui-<stamp>.json. Nothing here asserts
// timing: exit 0 unless the harness itself broke.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRouter, loadModules, openEngine, openWindow } from './ui-backend.mjs';
import { coresBetween, cpuSample, frameThreadsCpuMs, prefillQueue } from './ui-fixture.mjs';
import { idleFrames, longFramesBetween, progressWindow, referenceHtml, scrollRoundTrip, scrollSteady } from './ui-page.mjs';
import { buildRows, frameStats, longFrameStats, medianRep, progressStats, renderUiReport } from './ui-report.mjs';
import { serveStatic, startSlowServer } from './ui-servers.mjs';
import { diagnosticsMarkdown, startDiagnostics } from './ui-trace.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const RESULTS_DIR = path.join(HERE, 'results');
const ROW_HEIGHT = 48; // renderer/components/QueueList.tsx
const ROWS = '.queue-rows [role="row"]';
const SCROLLER = '.queue-scroll';
const STEADY_STEP = 3 * ROW_HEIGHT; // px per frame: a fast mouse wheel
const STEADY_MS = 6000; // long enough that one late frame is a third of a percent
const OPEN_REPS = 3;
// Each scroll (round trip and steady, on the queue and on the static page) runs this many times and is
// judged on the median rep, as every row of the download benchmark is: one hiccup of a 2-core machine
// shared with the engine and its server is one late frame, and a single run is a coin toss.
const SCROLL_REPS = 3;

const defaultLog = (msg) => process.stderr.write(`[bench:ui] ${msg}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function gitCommit() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** CPU of this process, Chromium and the rest of the machine over a phase: call it, run the phase, call the result. */
function cpuPhase() {
  const a = cpuSample();
  const t = performance.now();
  return () => coresBetween(a, cpuSample(), (performance.now() - t) / 1000);
}

/**
 * SCROLL_REPS times: the round trip, then the steady scroll from the middle of the list. Returns each
 * trip's page result (`trips`) and both scrolls' frame stats per rep. `afterFirstTrip(trip)` runs
 * once, right after the first round trip (the queue's diagnostics cover that one only).
 */
async function scrollReps(page, { count, seconds, base, afterFirstTrip = async () => {} }) {
  const trips = [];
  const tripReps = [];
  const steadyReps = [];
  for (let rep = 0; rep < SCROLL_REPS; rep++) {
    const { result: trip, frames } = await timedScroll(page, scrollRoundTrip, { seconds, rowCount: count, rowSelector: ROWS, scrollSelector: SCROLLER }, base);
    if (rep === 0) await afterFirstTrip(trip);
    trips.push(trip);
    tripReps.push(frames);
    steadyReps.push((await timedScroll(page, scrollSteady, { step: STEADY_STEP, ms: STEADY_MS, fromPx: Math.floor(trip.maxScroll / 2), scrollSelector: SCROLLER }, base)).frames);
  }
  return { trips, tripReps, steadyReps };
}

/** The same scrolls as the app's on a static page of plain rows, in the same browser: the floor. */
async function referenceScrolls(context, { count, seconds }) {
  const page = await context.newPage();
  try {
    await page.setContent(referenceHtml(count, ROW_HEIGHT));
    const idle = await page.evaluate(idleFrames, 1000);
    const { trips, tripReps, steadyReps } = await scrollReps(page, { count, seconds, base: idle.base });
    const lastRowInView = trips.every((t) => Boolean(t.lastRow?.inView));
    return { trip: medianRep(tripReps), steady: medianRep(steadyReps), tripReps, steadyReps, lastRowInView };
  } finally {
    await page.close();
  }
}

/**
 * Runs one of ui-page.mjs's scrolls on `page` and returns its result and its frame stats, with the
 * CPU per frame of the Chromium threads that make a frame (Linux; thread time, so steadier than frame
 * intervals on a busy machine): `mainCpuMs` for the page's main thread, `threadCpuMs` for all of them.
 */
async function timedScroll(page, scroll, args, base) {
  const before = frameThreadsCpuMs();
  const result = await page.evaluate(scroll, args);
  const after = frameThreadsCpuMs();
  const frames = result.stamps.length - 1;
  const threadCpuMs = before === null || after === null || frames < 1 ? null : Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - before[k]) / frames]));
  return { result, frames: { ...frameStats(result.stamps, base), mainCpuMs: threadCpuMs?.main ?? null, threadCpuMs } };
}

let pendingCleanup = null;

/**
 * Runs the whole UI benchmark once. Returns { rows, targets } (targets as bench/report.mjs's:
 * { target, status: met | missed | not evaluated, detail }), plus the Markdown report, the raw
 * measurements and the path of the JSON file (null with write: false).
 */
export async function runUiBenchmark({
  log = defaultLog,
  count = 10_000,
  active = 16,
  rateKiB = 1024,
  seconds = 5,
  trace = false,
  profile = false,
  rendererDir = path.join(REPO, 'dist', 'renderer'),
  resultsDir = RESULTS_DIR,
  write = true,
} = {}) {
  const mod = await loadModules();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const cleanups = [];
  const cleanup = async () => {
    while (cleanups.length) await cleanups.pop()().catch((e) => log(`cleanup: ${e?.message ?? e}`));
  };
  pendingCleanup = cleanup;
  try {
    const work = await mkdtemp(path.join(os.tmpdir(), 'ferry-ui-bench-'));
    cleanups.push(() => rm(work, { recursive: true, force: true }));
    const downloadsDir = path.join(work, 'Downloads');
    await mkdir(downloadsDir);
    const dbFile = path.join(work, 'ferry.db');
    // Files far bigger than a run can fetch: no active download ends, so the set stays the same.
    const slow = await startSlowServer({ bytesPerSecond: rateKiB * 1024, fileBytes: 4 * 1024 ** 3 });
    cleanups.push(slow.close);
    const site = await serveStatic(rendererDir, { 'Content-Security-Policy': mod.contentSecurityPolicy() });
    cleanups.push(site.close);

    // 1. The database, written through the real store and closed; then the engine opens it.
    let t = performance.now();
    const seed = mod.createStore(dbFile);
    const made = prefillQueue(seed, { count, active, downloadsDir, slowBase: `${slow.baseUrl}/slow` });
    seed.close();
    log(`${count} downloads written in ${(performance.now() - t).toFixed(0)} ms: ${made.active.length} active, ${made.queued} queued, ${made.paused} paused, ${made.completed} completed, ${made.failed} failed`);
    const { store, engine, samples } = await openEngine(mod, dbFile, { reps: OPEN_REPS, expected: count });
    cleanups.push(async () => {
      await engine.close();
      store.close();
    });
    const router = createRouter(mod, { engine, store, downloadsDir, origin: site.origin });
    cleanups.push(async () => router.close());
    t = performance.now();
    const listJson = JSON.stringify(await router.handle('downloads:list', undefined, { id: 1, url: `${site.origin}/index.html` }));
    const open = { ...samples[0], later: samples.slice(1).map((s) => s.totalMs), ipcListMs: performance.now() - t, ipcListBytes: Buffer.byteLength(listJson) };
    log(`engine open → first list: ${samples.map((s) => s.totalMs.toFixed(0)).join(', ')} ms`);

    // 2-3. Chromium with the built renderer, window.ferry over a binding to the router.
    const mainProgress = [];
    const win = await openWindow(mod, { router, onEvent: (channel) => channel === 'downloads:progress' && mainProgress.push(performance.now()) });
    cleanups.push(win.close);
    const { browser, context, page, pageErrors } = win;
    t = performance.now();
    await page.goto(`${site.origin}/index.html`);
    await page.waitForSelector(ROWS);
    const firstRowsMs = performance.now() - t;
    await page.waitForFunction((n) => globalThis.document.querySelector('[role="grid"]')?.getAttribute('aria-rowcount') === String(n + 1), count);
    const load = await page.evaluate(() => globalThis.__uiBench.load);
    log(`window shows the queue ${firstRowsMs.toFixed(0)} ms after load started`);

    // The active downloads must really be moving before anything is counted.
    const moving = () => made.active.filter((id) => engine.get(id).status === 'downloading' && engine.get(id).speed > 0).length;
    const waitUntil = performance.now() + 20_000;
    while (moving() < made.active.length && performance.now() < waitUntil) await sleep(200);
    const activeDownloading = moving();
    if (activeDownloading < made.active.length) log(`only ${activeDownloading} of ${made.active.length} active downloads are moving; measuring anyway`);

    // 4. Progress messages, counted where the renderer's own subscription receives them.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let phase = cpuPhase();
    const mainFrom = performance.now();
    const pw = await page.evaluate(progressWindow, seconds * 1000);
    const mainSent = mainProgress.filter((x) => x >= mainFrom && x < performance.now()).length;
    const progressWindowMs = pw.to - pw.from;
    const progressCores = phase();
    log(`progress: ${pw.messages.length} messages in ${(progressWindowMs / 1000).toFixed(1)} s`);

    // 5. Scrolling: the base frame interval, the round trip, a steady wheel-speed scroll.
    phase = cpuPhase();
    const idle = await page.evaluate(idleFrames, 1000);
    const stopDiagnostics = await startDiagnostics({ browser, context, page, trace, profile, dir: resultsDir, stamp });
    // Traces, profiles and long frames cover the first round trip only; frames are counted in every rep.
    let diagnostics = null;
    let long = null;
    const { trips, tripReps, steadyReps } = await scrollReps(page, {
      count,
      seconds,
      base: idle.base,
      afterFirstTrip: async (trip) => {
        diagnostics = await stopDiagnostics();
        long = await page.evaluate(longFramesBetween, [trip.stamps[0], trip.stamps.at(-1)]);
      },
    });
    const scrollFrames = medianRep(tripReps);
    const steadyFrames = medianRep(steadyReps);
    const scrollCores = phase();
    loopDelay.disable();
    log(`scroll: ${SCROLL_REPS} round trips of ${tripReps.map((f) => f.frames).join(' / ')} frames, base ${idle.base.toFixed(2)} ms, late ${tripReps.map((f) => f.lateIntervals).join(' / ')}; steady late ${steadyReps.map((f) => f.lateIntervals).join(' / ')}`);

    await page.close(); // its rendering would compete with the reference page's
    const reference = await referenceScrolls(context, { count, seconds });
    const chromium = `Chromium ${browser.version()}`;

    const measured = {
      count, active, rateKiB, open,
      window: { firstRowsMs, ...load },
      progress: progressStats(pw.messages, progressWindowMs),
      progressWindowMs,
      mainProgressPerSecond: (mainSent * 1000) / progressWindowMs,
      progressWhileScrolling: progressStats(long.progress, tripReps[0].durationMs),
      activeDownloading,
      servedMiB: slow.stats.bytes / 1024 ** 2,
      idleFrames: frameStats(idle.stamps, idle.base),
      scrollFrames,
      tripReps,
      scroll: {
        maxScroll: trips[0].maxScroll,
        clientHeight: trips[0].clientHeight,
        maxRows: Math.max(...trips.flatMap((t) => t.rowCounts)),
        minRows: Math.min(...trips.flatMap((t) => t.rowCounts)),
        // Every rep must reach the last row; the first one that did not is the one shown.
        lastRow: trips.find((t) => !t.lastRow?.inView)?.lastRow ?? trips[0].lastRow,
      },
      steadyStep: STEADY_STEP,
      steadyFrames,
      steadyReps,
      reference,
      mainLoopDelay: { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 },
      loafSupported: long.observers.includes('long-animation-frame'),
      longFrames: longFrameStats(long.loaf, long.longtasks),
      lastName: `file-${String(count).padStart(5, '0')}.bin`,
      pageErrors,
      cores: { progress: progressCores, scroll: scrollCores },
      diagnostics,
    };
    const { rows, targets } = buildRows(measured);
    const meta = {
      harness: 'ferry bench/ui.mjs',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      count, active, rateKiB, seconds, rendererDir,
      chromium,
      node: process.versions.node,
      cpus: os.cpus().length,
      gitCommit: gitCommit(),
      otherCores: Math.max(progressCores.others ?? 0, scrollCores.others ?? 0),
    };
    const markdown = [renderUiReport({ rows, targets, meta }), ...diagnosticsMarkdown(diagnostics, process.cwd())].join('\n\n');
    let file = null;
    if (write) {
      mkdirSync(resultsDir, { recursive: true });
      file = path.join(resultsDir, `ui-${stamp}.json`);
      const raw = { ...meta, rows, targets, measured, loaf: long.loaf.slice(0, 200), progressMessages: pw.messages };
      writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
    }
    return { rows, targets, markdown, measured, file };
  } finally {
    await cleanup();
    pendingCleanup = null;
  }
}

const USAGE = `usage: node bench/ui.mjs [options]        (after npm run build)
  --count N       downloads in the database (default 10000)
  --active N      downloads really transferring, saved as maxConcurrent (default 16, at most 100)
  --rate-kib N    what the slow server sends per download, KiB/s (default 1024)
  --seconds S     length of the progress count and of the scroll round trip (default 5)
  --renderer DIR  the built renderer to load (default dist/renderer), e.g. a build of a change
  --trace         also record a Chromium trace of the round trip (bench/results/ui-<stamp>.trace.json)
                  and summarize the renderer main thread's time by trace event
  --profile       also record a JS CPU profile of the round trip (bench/results/ui-<stamp>.cpuprofile)
                  and list the top functions by self time (names need an unminified --renderer build)
  -h, --help      this text`;

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        count: { type: 'string', default: '10000' },
        active: { type: 'string', default: '16' },
        'rate-kib': { type: 'string', default: '1024' },
        seconds: { type: 'string', default: '5' },
        renderer: { type: 'string' },
        trace: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const num = (k) => Number(values[k]);
  const ints = ['count', 'active', 'rate-kib'].every((k) => Number.isInteger(num(k)) && num(k) > 0);
  if (!ints || !(num('seconds') > 0) || num('active') > num('count') || num('active') > 100) {
    process.stderr.write(`--count, --active and --rate-kib must be positive integers, --seconds positive, --active ≤ --count and ≤ 100\n${USAGE}\n`);
    return 2;
  }
  let stopping = false;
  const stop = (sig) => {
    stopping = true;
    defaultLog(`${sig}: cleaning up`);
    Promise.resolve(pendingCleanup?.()).finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const started = performance.now();
    const out = await runUiBenchmark({
      count: num('count'),
      active: num('active'),
      rateKiB: num('rate-kib'),
      seconds: num('seconds'),
      trace: values.trace,
      profile: values.profile,
      ...(values.renderer ? { rendererDir: path.resolve(values.renderer) } : {}),
    });
    process.stdout.write(`${out.markdown}\n\nraw results: ${path.relative(process.cwd(), out.file)}\n`);
    defaultLog(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    if (!stopping) defaultLog(`harness error: ${e?.stack ?? e}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
  // Everything is closed by now. Should something still hold the event loop, say what, and end anyway.
  setTimeout(() => {
    defaultLog(`still running 10 s after the end, held by: ${process.getActiveResourcesInfo().join(', ')}; exiting`);
    process.exit();
  }, 10_000).unref();
}
