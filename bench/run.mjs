#!/usr/bin/env node
// Ferry benchmark harness: Ferry vs curl vs aria2c against a private loopback nginx.
// Usage: node bench/run.mjs [--quick] [--reps N] [--only WORK[,WORK]] [--tools TOOL[,TOOL]] [--keep]
// See docs/performance.md. Progress goes to stderr, the report (Markdown) to stdout, every rep's raw
// numbers to bench/results/<timestamp>.json. Exit 0 unless the harness itself broke.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateData, sha256File } from './files.mjs';
import { killCurrent, machineBusyCpuS, processTreeCpuS, runMeasured } from './measure.mjs';
import { startNginx } from './nginx.mjs';
import { evaluateTargets, renderReport, runOk, summarize, writeResults } from './report.mjs';
import { ensureTools, ferryInfo, listCommand, singleCommand, toolVersions } from './tools.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const RESULTS_DIR = join(HERE, 'results');
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const WORKLOADS = ['big-unthrottled', 'throttled', 'many-small'];
const TOOLS = ['curl', 'aria2c', 'ferry'];
const RATE_MIB = 4; // limit_rate on /slow/, MiB/s per connection
const UNTHROTTLED_N = [1, 4, 8, 16];
const THROTTLED_N = [4, 8, 16];
const LIST_J = 16;

const USAGE = `usage: node bench/run.mjs [options]   (or: npm run bench -- [options])
  --quick            smoke run: 64 MiB / 32 MiB files, 1 rep (unless --reps)
  --reps N           repetitions per row (default 3)
  --only NAMES       comma-separated workloads: ${WORKLOADS.join(', ')}
  --tools NAMES      comma-separated tools: ${TOOLS.join(', ')} (default all)
  --throttle MODE    throttled work: conn (default; nginx stream proxy_download_rate, exact per
                     TCP connection) or request (nginx limit_rate on /slow/, per request)
  --keep             keep the work dir (data, logs, nginx config) in ${os.tmpdir()}
  -h, --help         this text`;

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      reps: { type: 'string' },
      only: { type: 'string', multiple: true },
      tools: { type: 'string', multiple: true },
      keep: { type: 'boolean', default: false },
      throttle: { type: 'string', default: 'conn' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const list = (vals, allowed, what) => {
    if (!vals) return [...allowed];
    const names = vals.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
    for (const n of names) if (!allowed.includes(n)) throw new Error(`unknown ${what} "${n}" (known: ${allowed.join(', ')})`);
    return allowed.filter((a) => names.includes(a)); // canonical order
  };
  const reps = values.reps === undefined ? (values.quick ? 1 : 3) : Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${values.reps}`);
  if (!['conn', 'request'].includes(values.throttle)) throw new Error(`--throttle must be conn or request, got ${values.throttle}`);
  return {
    help: values.help,
    throttle: values.throttle,
    quick: values.quick,
    keep: values.keep,
    reps,
    only: list(values.only, WORKLOADS, 'workload'),
    tools: list(values.tools, TOOLS, 'tool'),
  };
}

/** The rows to measure, in the order they run within one rep (tools interleaved at each N). */
function planVariants(opts, files, ferry) {
  const variants = [];
  const add = (work, tool, n, extra) => {
    if (!opts.tools.includes(tool)) return;
    variants.push({ work, tool, n, ...extra, skip: tool === 'ferry' && !ferry.built ? 'not built' : undefined });
  };
  if (opts.only.includes('big-unthrottled')) {
    const extra = { kind: 'single', file: files.big, throttled: false, bytes: files.big.bytes };
    for (const n of UNTHROTTLED_N) {
      if (n === 1) add('big-unthrottled', 'curl', 1, extra);
      add('big-unthrottled', 'aria2c', n, extra);
      add('big-unthrottled', 'ferry', n, extra);
    }
  }
  if (opts.only.includes('throttled')) {
    const extra = { kind: 'single', file: files.mid, throttled: true, bytes: files.mid.bytes };
    add('throttled', 'curl', 1, extra);
    for (const n of THROTTLED_N) {
      add('throttled', 'aria2c', n, extra);
      add('throttled', 'ferry', n, extra);
    }
  }
  if (opts.only.includes('many-small')) {
    const bytes = files.small.reduce((s, x) => s + x.bytes, 0);
    for (const tool of TOOLS) add('many-small', tool, LIST_J, { kind: 'list', throttled: false, bytes });
  }
  return variants;
}

function timeoutMs(v) {
  if (v.kind === 'list') return 300_000;
  if (v.throttled) return (60 + (3 * v.bytes) / (v.n * RATE_MIB * MiB)) * 1000;
  return (120 + v.bytes / (5 * MiB)) * 1000;
}

function gitCommit() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

async function verifyOutputs(v, files, outDir) {
  if (v.kind === 'single') {
    const p = join(outDir, v.file.name);
    if (!existsSync(p)) return { ok: false, detail: 'output missing' };
    const sha = await sha256File(p);
    return sha === v.file.sha256 ? { ok: true, detail: 'ok' } : { ok: false, detail: `sha256 ${sha} != ${v.file.sha256}` };
  }
  let missing = 0;
  let bad = 0;
  for (const s of files.small) {
    const p = join(outDir, s.name);
    if (!existsSync(p)) { missing++; continue; }
    if ((await sha256File(p)) !== s.sha256) bad++;
  }
  return missing + bad === 0 ? { ok: true, detail: 'ok' } : { ok: false, detail: `${missing} missing, ${bad} sha256 mismatches of ${files.small.length}` };
}

const logSize = (p) => (existsSync(p) ? statSync(p).size : 0);

/** The requests nginx logged since byte `from` of its access log: count, status counts, body bytes. */
function requestsSince(accessLog, from) {
  const size = logSize(accessLog);
  if (size <= from) return { requests: 0, statuses: {}, bodyBytes: 0 };
  const buf = Buffer.alloc(size - from);
  const fd = openSync(accessLog, 'r');
  try { readSync(fd, buf, 0, buf.length, from); } finally { closeSync(fd); }
  const statuses = {};
  let requests = 0;
  let bodyBytes = 0;
  for (const line of buf.toString('utf8').split('\n')) {
    const m = line.match(/" (\d{3}) (\d+) "/); // combined format: "REQUEST" STATUS BYTES "REFERER"
    if (!m) continue;
    requests++;
    statuses[m[1]] = (statuses[m[1]] ?? 0) + 1;
    bodyBytes += Number(m[2]);
  }
  return { requests, statuses, bodyBytes };
}

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    return 2;
  }
  if (opts.help) { process.stdout.write(`${USAGE}\n`); return 0; }

  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const sizes = opts.quick
    ? { bigBytes: 64 * MiB, midBytes: 32 * MiB, smallCount: 1000, smallBytes: 64 * 1024 }
    : { bigBytes: 1 * GiB, midBytes: 256 * MiB, smallCount: 1000, smallBytes: 64 * 1024 };

  const paths = ensureTools(log);
  const ferry = ferryInfo(REPO);
  if (!ferry.built) log(`ferry CLI not found at ${ferry.bin}: ferry rows will show "not built"`);

  const workDir = mkdtempSync(join(os.tmpdir(), 'ferry-bench-'));
  chmodSync(workDir, 0o755); // nginx workers run as an unprivileged user and must read the data
  const dataDir = join(workDir, 'data');
  const logsDir = join(workDir, 'logs');
  mkdirSync(dataDir, { mode: 0o755 });
  mkdirSync(logsDir);
  let nginx = null;
  const runs = [];
  let meta = null;
  let variants = [];
  let finished = false;

  const cleanupSync = () => {
    killCurrent('SIGKILL');
    nginx?.stopSync();
    if (!opts.keep) rmSync(workDir, { recursive: true, force: true });
  };
  const writeOut = (partial) => {
    if (!meta) return null;
    const rows = summarize(variants, runs, { rateMiB: RATE_MIB });
    const targets = evaluateTargets(rows, { rateMiB: RATE_MIB, throttle: opts.throttle });
    meta.finishedAt = new Date().toISOString();
    meta.partial = partial;
    const md = renderReport({ rows, targets, meta, runs });
    const file = writeResults(RESULTS_DIR, stamp, { ...meta, runs, rows, targets }, md);
    return { md, file };
  };
  const onSignal = (sig) => {
    if (finished) return;
    log(`${sig}: stopping the tool and nginx${opts.keep ? '' : ', removing the work dir'}`);
    try {
      const out = writeOut(true);
      if (out) log(`partial results: ${out.file}`);
    } catch { /* best effort */ }
    cleanupSync();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => { if (!finished) cleanupSync(); });

  try {
    const need = sizes.bigBytes * 2 + sizes.midBytes * 2 + sizes.smallCount * sizes.smallBytes * 2 + 256 * MiB;
    const fsInfo = statfsSync(workDir);
    if (fsInfo.bavail * fsInfo.bsize < need) throw new Error(`not enough space in ${os.tmpdir()}: need ${(need / GiB).toFixed(1)} GiB`);

    log(`work dir ${workDir}; generating data (${sizes.bigBytes / MiB} MiB, ${sizes.midBytes / MiB} MiB, ${sizes.smallCount} × ${sizes.smallBytes / 1024} KiB)`);
    const t0 = Date.now();
    const files = await generateData(dataDir, sizes);
    log(`data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    nginx = await startNginx({ nginxBin: paths.nginx, workDir, dataDir, rateMiB: RATE_MIB });
    log(`nginx pid ${nginx.pid} on ${nginx.baseUrl}; throttled ${RATE_MIB} MiB/s: per connection ${nginx.connThrottledUrl}, per request ${nginx.slowUrl}; using ${opts.throttle}`);

    const listFile = join(workDir, 'list.txt');
    const curlConfig = join(workDir, 'list.curlrc');
    writeFileSync(listFile, `${files.small.map((s) => `${nginx.baseUrl}${s.rel}`).join('\n')}\n`);
    writeFileSync(curlConfig, `${files.small.map((s) => `url = "${nginx.baseUrl}${s.rel}"`).join('\n')}\n`);

    variants = planVariants(opts, files, ferry);
    meta = {
      harness: 'ferry bench/run.mjs',
      startedAt: startedAt.toISOString(),
      options: opts,
      rateMiB: RATE_MIB,
      throttle: opts.throttle === 'conn'
        ? `${RATE_MIB} MiB/s per connection (nginx stream proxy_download_rate)`
        : `${RATE_MIB} MiB/s per request (nginx limit_rate on /slow/; short requests burst past it)`,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / GiB), kernel: os.release() },
      versions: toolVersions(paths, ferry),
      gitCommit: gitCommit(),
      nginx: { workerProcesses: 1, sendfile: true, conf: nginx.confPath },
      files: {
        big: files.big, mid: files.mid,
        small: { count: files.small.length, bytes: sizes.smallBytes, totalBytes: files.small.length * sizes.smallBytes },
      },
    };

    const runDir = join(workDir, 'run');
    for (const work of opts.only) {
      const todo = variants.filter((v) => v.work === work && !v.skip);
      for (let rep = 1; rep <= opts.reps; rep++) {
        for (const v of todo) {
          rmSync(runDir, { recursive: true, force: true });
          const outDir = join(runDir, 'out');
          mkdirSync(outDir, { recursive: true });
          mkdirSync(join(runDir, 'db'));
          spawnSync('sync'); // flush the previous run's writeback so it does not bill this one
          const dbPath = join(runDir, 'db', 'ferry.db');
          const base = !v.throttled ? nginx.baseUrl : opts.throttle === 'conn' ? nginx.connThrottledUrl : nginx.slowUrl;
          const url = `${base}${v.file?.name ?? ''}`;
          const { cmd, args } = v.kind === 'single'
            ? singleCommand(v.tool, { paths, ferry, url, outDir, name: v.file.name, n: v.n, dbPath })
            : listCommand(v.tool, { paths, ferry, listFile, curlConfig, outDir, j: v.n, dbPath });
          const logBase = join(logsDir, `${work}-${v.tool}-n${v.n}-r${rep}`);
          const logFrom = logSize(nginx.accessLog);
          const busy0 = machineBusyCpuS();
          const ngx0 = processTreeCpuS(nginx.pid);
          const res = await runMeasured({ cmd, args, cwd: REPO, logBase, timeoutMs: timeoutMs(v) });
          const busy1 = machineBusyCpuS();
          const ngx1 = processTreeCpuS(nginx.pid);
          const nginxCpuS = ngx0 !== null && ngx1 !== null ? ngx1 - ngx0 : null;
          // CPU the rest of the machine used meanwhile (other processes): the noise indicator.
          const otherCpuS = busy0 !== null && busy1 !== null && res.cpuS !== null && nginxCpuS !== null
            ? Math.max(0, busy1 - busy0 - res.cpuS - nginxCpuS) : null;
          const check = await verifyOutputs(v, files, outDir);
          const served = requestsSince(nginx.accessLog, logFrom);
          const run = {
            work, tool: v.tool, n: v.n, rep, bytes: v.bytes,
            wallS: res.wallS, mibps: v.bytes / MiB / res.wallS,
            userS: res.userS, sysS: res.sysS, cpuS: res.cpuS, maxRssKiB: res.maxRssKiB,
            exitCode: res.exitCode, timedOut: res.timedOut,
            nginxCpuS, otherCpuS,
            requests: served.requests, statuses: served.statuses, bodyBytesServed: served.bodyBytes,
            sha256Ok: check.ok, verify: check.detail,
            command: [cmd, ...args].join(' '),
          };
          if (!runOk(run)) run.stderrTail = res.stderrTail;
          runs.push(run);
          rmSync(runDir, { recursive: true, force: true });
          const status = runOk(run) ? 'ok' : `FAILED (exit ${run.exitCode}${run.timedOut ? ', timeout' : ''}, ${check.detail})`;
          log(`${work} rep ${rep}/${opts.reps} ${v.tool} N=${v.n}: ${run.wallS.toFixed(2)} s, ${run.mibps.toFixed(1)} MiB/s, ` +
            `cpu ${run.cpuS?.toFixed(2)} s (nginx ${nginxCpuS?.toFixed(2)} s, other ${otherCpuS?.toFixed(2)} s), rss ${((run.maxRssKiB ?? 0) / 1024).toFixed(1)} MiB, ${served.requests} requests, ${status}`);
          if (!runOk(run) && res.stderrTail) log(`  stderr: ${res.stderrTail.trim().split('\n').slice(-5).join('\n          ')}`);
        }
      }
    }

    await nginx.stop();
    const out = writeOut(false);
    finished = true;
    if (!opts.keep) rmSync(workDir, { recursive: true, force: true });
    else log(`kept work dir ${workDir}`);
    process.stdout.write(`${out.md}\n\nraw results: ${out.file}\n`);
    return 0;
  } catch (err) {
    log(`harness error: ${err.stack ?? err}`);
    if (runs.length) {
      try { log(`partial results: ${writeOut(true).file}`); } catch { /* best effort */ }
    }
    finished = true;
    await nginx?.stop().catch(() => {});
    cleanupSync();
    return 1;
  }
}

process.exitCode = await main();
