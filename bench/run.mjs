#!/usr/bin/env node
// Ferry benchmark harness: Ferry vs curl vs aria2c against a private loopback nginx.
// Usage: node bench/run.mjs [--quick] [--reps N] [--only WORK[,WORK]] [--tools TOOL[,TOOL]] [--keep]
// See docs/performance.md. Progress goes to stderr, the report (Markdown) to stdout, every rep's raw
// numbers to bench/results/<timestamp>.json. Exit 0 unless the harness itself broke.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, renameSync, rmSync, statSync, statfsSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { diffSparse, generateData, sha256File, writeSparseFile } from './files.mjs';
import { DROPPED_ENV, killCurrent, machineBusyCpuS, processTreeCpuS, runMeasured } from './measure.mjs';
import { startNginx } from './nginx.mjs';
import { evaluateTargets, renderReport, runOk, summarize, writeResults } from './report.mjs';
import { ensureTools, ferryInfo, listCommand, resumeCommand, singleCommand, toolVersions } from './tools.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const RESULTS_DIR = join(HERE, 'results');
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

const WORKLOADS = ['big-unthrottled', 'big-https', 'throttled', 'many-small', 'huge-sparse', 'kill-refetch'];
// `node` runs only in many-small: bench/node-floor.mjs, plain Node with no database, as the floor.
const TOOLS = ['curl', 'aria2c', 'ferry', 'node'];
const RATE_MIB = 4; // limit_rate on /slow/, MiB/s per connection
const UNTHROTTLED_N = [1, 4, 8, 16]; // also big-https
const THROTTLED_N = [4, 8, 16];
const LIST_J = 16;
/** big-https: nginx serves with the tests' certificate, which each tool is told to trust. */
const TLS = { cert: join(REPO, 'test', 'helpers', 'tls', 'localhost.crt'), key: join(REPO, 'test', 'helpers', 'tls', 'localhost.key') };
const HUGE_BYTES = 5 * GiB; // huge-sparse: sparse on the server, markers around 2^31 and 2^32
const HUGE_N = 8;
const KILL_N = 4; // kill-refetch: connections, on the per-connection throttle
const KILL_AT = [0.3, 0.5, 0.75]; // kill-refetch: SIGKILLs at these fractions of the ideal transfer time
const KILL_FINAL_TRIES = 3; // kill-refetch: reruns after the last kill until one completes
const KILL_SETTLE_MS = 500; // after a kill: nginx logs the requests it cut short once their connections close

const USAGE = `usage: node bench/run.mjs [options]   (or: npm run bench -- [options])
  --quick            smoke run: 64 MiB / 32 MiB files, 1 rep (unless --reps); skips huge-sparse
                     unless --only names it
  --reps N           repetitions per row (default 3)
  --only NAMES       comma-separated workloads: ${WORKLOADS.join(', ')}
  --tools NAMES      comma-separated tools: ${TOOLS.join(', ')} (default all; node, plain Node,
                     runs only in many-small, as the floor, and throttled, as the ceiling)
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
  let only = list(values.only, WORKLOADS, 'workload');
  // --quick skips the 5 GiB file (minutes, and 5 GiB of disk) unless --only asks for it by name.
  const skipped = values.quick && !values.only && only.includes('huge-sparse') ? ['huge-sparse'] : [];
  only = only.filter((w) => !skipped.includes(w));
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a positive integer, got ${values.reps}`);
  if (!['conn', 'request'].includes(values.throttle)) throw new Error(`--throttle must be conn or request, got ${values.throttle}`);
  return {
    help: values.help,
    throttle: values.throttle,
    quick: values.quick,
    keep: values.keep,
    reps,
    only,
    skipped,
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
  if (opts.only.includes('big-https')) {
    // Not one of the issue's rows: what users mostly download over, measured the same way.
    const extra = { kind: 'single', file: files.big, throttled: false, tls: true, bytes: files.big.bytes };
    for (const n of UNTHROTTLED_N) {
      if (n === 1) add('big-https', 'curl', 1, extra);
      add('big-https', 'aria2c', n, extra);
      add('big-https', 'ferry', n, extra);
    }
  }
  if (opts.only.includes('throttled')) {
    const extra = { kind: 'single', file: files.mid, throttled: true, bytes: files.mid.bytes };
    add('throttled', 'curl', 1, extra);
    for (const n of THROTTLED_N) {
      add('throttled', 'aria2c', n, extra);
      add('throttled', 'ferry', n, extra);
      add('throttled', 'node', n, extra);
    }
  }
  if (opts.only.includes('many-small')) {
    const bytes = files.small.reduce((s, x) => s + x.bytes, 0);
    for (const tool of TOOLS) add('many-small', tool, LIST_J, { kind: 'list', throttled: false, bytes });
  }
  if (opts.only.includes('huge-sparse')) {
    // Ferry is what is tested; curl and aria2c run once (rep 1) for comparison: 5 GiB each.
    const extra = { kind: 'single', file: files.huge, throttled: false, bytes: files.huge.bytes };
    add('huge-sparse', 'curl', 1, { ...extra, firstRepOnly: true });
    add('huge-sparse', 'aria2c', HUGE_N, { ...extra, firstRepOnly: true });
    add('huge-sparse', 'ferry', HUGE_N, extra);
  }
  if (opts.only.includes('kill-refetch')) {
    // Always on the per-connection throttle (whatever --throttle says): one rep = one download
    // SIGKILLed at each of KILL_AT, then rerun until it completes.
    const extra = { kind: 'kill', file: files.mid, throttled: true, bytes: files.mid.bytes, killAt: KILL_AT };
    add('kill-refetch', 'aria2c', KILL_N, extra);
    add('kill-refetch', 'ferry', KILL_N, extra);
  }
  return variants;
}

function timeoutMs(v) {
  if (v.kind === 'list') return 300_000;
  if (v.throttled) return (60 + (3 * v.bytes) / (v.n * RATE_MIB * MiB)) * 1000; // kill-refetch: per attempt
  return (120 + v.bytes / (5 * MiB)) * 1000;
}

function gitCommit() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * The filesystem's own share of the many-small work: creating and writing the same files in one
 * fresh folder, with no network or tool. They are kept, like the tools' outputs, until the end.
 */
function timeFileCreation(dir, sizes) {
  mkdirSync(dir);
  const buf = Buffer.alloc(sizes.smallBytes, 1);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < sizes.smallCount; i++) {
    const fd = openSync(join(dir, `f${i}`), 'wx');
    writeSync(fd, buf);
    closeSync(fd);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function verifyOutputs(v, files, outDir) {
  if (v.kind === 'single' || v.kind === 'kill') {
    const p = join(outDir, v.file.name);
    if (!existsSync(p)) return { ok: false, detail: 'output missing' };
    const sha = await sha256File(p);
    if (sha === v.file.sha256) return { ok: true, detail: 'ok' };
    const detail = `sha256 ${sha} != ${v.file.sha256}`;
    if (!v.file.markers) return { ok: false, detail };
    // huge-sparse: say where the bytes differ, and whether a marker landed at offset mod 2^32.
    const d = await diffSparse(p, v.file);
    const where = d.ranges.map((r) => `[${r.start}, ${r.end})`).join(', ');
    const markers = d.markers.filter((m) => !m.ok).map((m) => `marker @${m.offset} wrong${m.atMod32 ? ` (found at ${m.offset % 2 ** 32} = offset mod 2^32)` : ''}`);
    return {
      ok: false,
      detail: `${detail}; size ${d.size} (expected ${d.expectedSize}); ${d.rangeCount} differing range(s): ${where || 'none'}${markers.length ? `; ${markers.join('; ')}` : ''}`,
      diff: d,
    };
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

/** The lines appended to a log since byte `from` (and up to byte `to`, default its end now). */
function linesSince(path, from, to = logSize(path)) {
  if (to <= from) return [];
  const buf = Buffer.alloc(to - from);
  const fd = openSync(path, 'r');
  try { readSync(fd, buf, 0, buf.length, from); } finally { closeSync(fd); }
  return buf.toString('utf8').split('\n').filter(Boolean);
}

/**
 * One access log line (bench/nginx.mjs's `bench` format, "combined" plus bytes_sent, range, …) as
 * { path, status, bodyBytes, bytesSent, rangeStart }, or null. rangeStart: the first byte asked for
 * (0 without a Range header).
 */
function parseAccessLine(line) {
  const m = line.match(/"[A-Z]+ (\S+) [^"]*" (\d{3}) (\d+) "/); // "REQUEST" STATUS BODY_BYTES "REFERER"
  if (!m) return null;
  const sent = line.match(/ bytes_sent=(\d+)/);
  const range = line.match(/ range="bytes=(\d+)-/);
  return {
    path: m[1], status: Number(m[2]), bodyBytes: Number(m[3]),
    bytesSent: sent ? Number(sent[1]) : null, rangeStart: range ? Number(range[1]) : 0,
  };
}

/** The requests nginx logged since byte `from` of its access log: count, status counts, body bytes. */
function requestsSince(accessLog, from, to) {
  const statuses = {};
  let requests = 0;
  let bodyBytes = 0;
  for (const line of linesSince(accessLog, from, to)) {
    const r = parseAccessLine(line);
    if (!r) continue;
    requests++;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    bodyBytes += r.bodyBytes;
  }
  return { requests, statuses, bodyBytes };
}

/** Bytes the stream proxy sent to its clients over the sessions it logged since byte `from`. */
function streamBytesSince(streamLog, from, to) {
  let sent = 0;
  let sessions = 0;
  for (const line of linesSince(streamLog, from, to)) {
    const m = line.match(/ sent=(\d+) /);
    if (!m) continue;
    sessions++;
    sent += Number(m[1]);
  }
  return { sessions, sent };
}

/** Sorted, merged copy of [start, end) intervals. */
function mergeIntervals(list) {
  const out = [];
  for (const [a, b] of [...list].filter(([x, y]) => y > x).sort((p, q) => p[0] - q[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const intervalBytes = (merged) => merged.reduce((s, [a, b]) => s + b - a, 0);

/** Bytes in both of two merged interval lists. */
function overlapBytes(x, y) {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < x.length && j < y.length) {
    const lo = Math.max(x[i][0], y[j][0]);
    const hi = Math.min(x[i][1], y[j][1]);
    if (hi > lo) total += hi - lo;
    if (x[i][1] < y[j][1]) i++;
    else j++;
  }
  return total;
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
    const targets = evaluateTargets(rows, { rateMiB: RATE_MIB, throttle: opts.throttle, skipped: opts.skipped });
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
    if (opts.skipped.length) log(`--quick: skipping ${opts.skipped.join(', ')} (a 5 GiB download; --only huge-sparse runs it, also with --quick)`);
    const huge = opts.only.includes('huge-sparse');
    // huge-sparse: the source is sparse (a few MiB on disk), each output is 5 GiB, deleted after its check.
    const need = sizes.bigBytes * 2 + sizes.midBytes * 2 + sizes.smallCount * sizes.smallBytes * (2 + TOOLS.length * opts.reps) + 256 * MiB + (huge ? HUGE_BYTES : 0);
    const fsInfo = statfsSync(workDir);
    if (fsInfo.bavail * fsInfo.bsize < need) throw new Error(`not enough space in ${os.tmpdir()}: need ${(need / GiB).toFixed(1)} GiB`);

    log(`work dir ${workDir}; generating data (${sizes.bigBytes / MiB} MiB, ${sizes.midBytes / MiB} MiB, ${sizes.smallCount} × ${sizes.smallBytes / 1024} KiB)`);
    const t0 = Date.now();
    const files = await generateData(dataDir, sizes);
    log(`data ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (huge) {
      const t1 = Date.now();
      files.huge = { name: 'huge.bin', ...await writeSparseFile(join(dataDir, 'huge.bin'), HUGE_BYTES) };
      log(`huge.bin: ${HUGE_BYTES / GiB} GiB sparse (${(files.huge.allocatedBytes / MiB).toFixed(1)} MiB on disk), markers at ${files.huge.markers.map((m) => m.offset).join(', ')}; sha256 in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
      if (files.huge.allocatedBytes > 64 * MiB) log(`WARNING: ${os.tmpdir()} does not keep holes: huge.bin takes ${(files.huge.allocatedBytes / GiB).toFixed(1)} GiB`);
    }

    nginx = await startNginx({ nginxBin: paths.nginx, workDir, dataDir, rateMiB: RATE_MIB, tls: TLS });
    log(`nginx pid ${nginx.pid} on ${nginx.baseUrl} and ${nginx.tlsUrl}; throttled ${RATE_MIB} MiB/s: per connection ${nginx.connThrottledUrl}, per request ${nginx.slowUrl}; using ${opts.throttle}`);

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
      killRefetch: { n: KILL_N, killAt: KILL_AT, settleMs: KILL_SETTLE_MS, finalTries: KILL_FINAL_TRIES, url: 'per-connection throttle (stream proxy)' },
      throttle: opts.throttle === 'conn'
        ? `${RATE_MIB} MiB/s per connection (nginx stream proxy_download_rate)`
        : `${RATE_MIB} MiB/s per request (nginx limit_rate on /slow/; short requests burst past it)`,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / GiB), kernel: os.release() },
      versions: toolVersions(paths, ferry),
      gitCommit: gitCommit(),
      nginx: { workerProcesses: 1, sendfile: true, conf: nginx.confPath },
      // Left out of every tool's environment (see bench/measure.mjs): only those set here.
      droppedEnv: DROPPED_ENV.filter((k) => process.env[k] !== undefined),
      files: {
        big: files.big, mid: files.mid, ...(files.huge ? { huge: files.huge } : {}),
        small: { count: files.small.length, bytes: sizes.smallBytes, totalBytes: files.small.length * sizes.smallBytes },
      },
    };

    const runDir = join(workDir, 'run');
    const keptDir = join(workDir, 'kept');
    mkdirSync(keptDir);
    if (opts.only.includes('many-small')) meta.fileCreateS = timeFileCreation(join(keptDir, 'fs-probe'), sizes);
    /** One invocation under time -v, with nginx's CPU and the machine's other CPU meanwhile. */
    const measureOnce = async (spec) => {
      const busy0 = machineBusyCpuS();
      const ngx0 = processTreeCpuS(nginx.pid);
      const res = await runMeasured({ ...spec, cwd: REPO });
      const busy1 = machineBusyCpuS();
      const ngx1 = processTreeCpuS(nginx.pid);
      const nginxCpuS = ngx0 !== null && ngx1 !== null ? ngx1 - ngx0 : null;
      // CPU the rest of the machine used meanwhile (other processes): the noise indicator.
      const otherCpuS = busy0 !== null && busy1 !== null && res.cpuS !== null && nginxCpuS !== null
        ? Math.max(0, busy1 - busy0 - res.cpuS - nginxCpuS) : null;
      return { ...res, nginxCpuS, otherCpuS };
    };

    /**
     * kill-refetch, one rep: `ferry get` (or aria2c) SIGKILLed at each KILL_AT fraction of the
     * ideal time (counted in the time the attempts ran, so each restart's start-up delays the
     * progress a little), then rerun until it completes. Bytes fetched twice = everything nginx
     * sent for the file over all attempts - its size; per kill: what nginx sent during the attempt
     * that the kill ended and sent again in a later attempt (from the Range and body bytes of each
     * logged request).
     */
    const killRefetch = async (v, rep, { outDir, dbPath }) => {
      const url = `${nginx.connThrottledUrl}${v.file.name}`;
      const ctx = { paths, ferry, url, outDir, name: v.file.name, n: v.n, dbPath };
      const idealS = v.bytes / (v.n * RATE_MIB * MiB);
      const plan = [...v.killAt, ...Array(KILL_FINAL_TRIES).fill(null)];
      const attempts = [];
      let prev = 0;
      let first = null;
      let resume = null;
      for (let i = 0; i < plan.length; i++) {
        const at = plan[i];
        const killAtMs = at === null ? undefined : (at - prev) * idealS * 1000;
        if (at !== null) prev = at;
        const { cmd, args } = i === 0 ? singleCommand(v.tool, ctx) : resumeCommand(v.tool, ctx);
        if (i === 0) first = [cmd, ...args].join(' ');
        else resume ??= [cmd, ...args].join(' ');
        const httpFrom = logSize(nginx.accessLog);
        const streamFrom = logSize(nginx.streamLog);
        const res = await measureOnce({ cmd, args, logBase: join(logsDir, `${v.work}-${v.tool}-n${v.n}-r${rep}-a${i + 1}`), timeoutMs: timeoutMs(v), killAtMs });
        await sleep(KILL_SETTLE_MS); // the proxy sees the dead connections close; nginx logs what it cut short
        const httpTo = logSize(nginx.accessLog);
        const streamTo = logSize(nginx.streamLog);
        const reqs = linesSince(nginx.accessLog, httpFrom, httpTo).map(parseAccessLine).filter(Boolean);
        const file = reqs.filter((r) => r.path === `/${v.file.name}` && (r.status === 200 || r.status === 206));
        const headerBytes = reqs.reduce((s, r) => s + Math.max(0, (r.bytesSent ?? r.bodyBytes) - r.bodyBytes), 0);
        const stream = streamBytesSince(nginx.streamLog, streamFrom, streamTo);
        const a = {
          attempt: i + 1, killAtFraction: at, killAtS: killAtMs === undefined ? null : killAtMs / 1000,
          killed: res.killed && !res.timedOut, wallS: res.wallS, exitCode: res.exitCode, timedOut: res.timedOut,
          userS: res.userS, sysS: res.sysS, cpuS: res.cpuS, maxRssKiB: res.maxRssKiB,
          nginxCpuS: res.nginxCpuS, otherCpuS: res.otherCpuS,
          requests: reqs.length, statuses: reqs.reduce((o, r) => ({ ...o, [r.status]: (o[r.status] ?? 0) + 1 }), {}),
          bodyBytes: reqs.reduce((s, r) => s + r.bodyBytes, 0),
          fileBytes: file.reduce((s, r) => s + r.bodyBytes, 0),
          clientBytes: stream.sent - headerBytes, // body bytes the proxy passed on to the tool
          ranges: file.map((r) => [r.rangeStart, r.rangeStart + r.bodyBytes]),
        };
        if (!a.killed && a.exitCode !== 0) a.stderrTail = res.stderrTail;
        attempts.push(a);
        log(`${v.work} rep ${rep}/${opts.reps} ${v.tool} N=${v.n} attempt ${i + 1}: ${a.killed ? `SIGKILL after ${res.wallS.toFixed(2)} s (${Math.round(at * 100)} % of ${idealS.toFixed(1)} s ideal)` : `exit ${a.exitCode} after ${res.wallS.toFixed(2)} s${a.timedOut ? ' (timeout)' : ''}`}, ` +
          `${a.requests} requests, ${(a.fileBytes / MiB).toFixed(1)} MiB sent, ${(a.clientBytes / MiB).toFixed(1)} MiB through the proxy`);
        if (a.timedOut) break;
        if (!a.killed && a.exitCode === 0) break; // complete (possibly before a planned kill)
        if (!a.killed && a.stderrTail) log(`  stderr: ${a.stderrTail.trim().split('\n').slice(-3).join('\n          ')}`);
      }
      const last = attempts[attempts.length - 1];
      const kills = attempts.filter((a) => a.killed).length;
      const sum = (key) => attempts.reduce((s, a) => (s === null || a[key] === null || a[key] === undefined ? null : s + a[key]), 0);
      const servedBytes = sum('fileBytes');
      const refetchedBytes = servedBytes - v.bytes;
      const merged = attempts.map((a) => mergeIntervals(a.ranges));
      const afterKill = attempts.map((a, i) => (a.killed
        ? { attempt: a.attempt, atFraction: a.killAtFraction, refetchedBytes: overlapBytes(merged[i], mergeIntervals(attempts.slice(i + 1).flatMap((b) => b.ranges))) }
        : null)).filter(Boolean);
      const clientRefetchedBytes = sum('clientBytes') - v.bytes;
      const perKill = kills ? refetchedBytes / kills : null;
      return {
        res: { ...last, wallS: sum('wallS'), cpuS: sum('cpuS'), userS: sum('userS'), sysS: sum('sysS'), nginxCpuS: sum('nginxCpuS'), otherCpuS: sum('otherCpuS'),
          maxRssKiB: Math.max(...attempts.map((a) => a.maxRssKiB ?? 0)) || null, stderrTail: last.stderrTail },
        command: first,
        extra: {
          resumeCommand: resume,
          kills, attemptCount: attempts.length, idealS,
          servedBytes, coveredBytes: intervalBytes(mergeIntervals(attempts.flatMap((a) => a.ranges))),
          refetchedBytes, refetchedPerKillBytes: perKill,
          refetchedPerKillS: perKill === null ? null : perKill / (v.n * RATE_MIB * MiB),
          refetchedAfterKill: afterKill,
          clientRefetchedBytes, clientRefetchedPerKillBytes: kills ? clientRefetchedBytes / kills : null,
          attempts: attempts.map(({ ranges, ...a }) => ({ ...a, ranges: mergeIntervals(ranges) })),
        },
      };
    };

    for (const work of opts.only) {
      const todo = variants.filter((v) => v.work === work && !v.skip);
      for (let rep = 1; rep <= opts.reps; rep++) {
        for (const v of todo) {
          if (v.firstRepOnly && rep > 1) continue;
          rmSync(runDir, { recursive: true, force: true });
          const outDir = join(runDir, 'out');
          mkdirSync(outDir, { recursive: true });
          mkdirSync(join(runDir, 'db'));
          spawnSync('sync'); // flush the previous run's writeback so it does not bill this one
          const dbPath = join(runDir, 'db', 'ferry.db');
          const logFrom = logSize(nginx.accessLog);
          let res;
          let command;
          let extra = {};
          if (v.kind === 'kill') {
            ({ res, command, extra } = await killRefetch(v, rep, { outDir, dbPath }));
          } else {
            const base = v.tls ? nginx.tlsUrl : !v.throttled ? nginx.baseUrl : opts.throttle === 'conn' ? nginx.connThrottledUrl : nginx.slowUrl;
            const url = `${base}${v.file?.name ?? ''}`;
            const { cmd, args, env } = v.kind === 'single'
              ? singleCommand(v.tool, { paths, ferry, url, outDir, name: v.file.name, n: v.n, dbPath, ca: v.tls ? TLS.cert : undefined, size: v.bytes })
              : listCommand(v.tool, { paths, ferry, listFile, curlConfig, outDir, j: v.n, dbPath });
            res = await measureOnce({ cmd, args, env, logBase: join(logsDir, `${work}-${v.tool}-n${v.n}-r${rep}`), timeoutMs: timeoutMs(v) });
            command = [cmd, ...args].join(' ');
          }
          const { nginxCpuS, otherCpuS } = res;
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
            command,
            ...extra,
          };
          if (check.diff) run.diff = check.diff;
          if (!runOk(run)) run.stderrTail = res.stderrTail;
          runs.push(run);
          // A list's 1000 files are set aside, not deleted, until the end: ext4 will not reuse an inode
          // freed in the last minutes, and every file created after a mass delete scans past them all
          // (recently_deleted() in perf). That cost 0.3-1.3 ms per file, grew with each rep, and billed
          // whichever tool ran next.
          if (v.kind === 'list') renameSync(outDir, join(keptDir, `${work}-${v.tool}-r${rep}`));
          rmSync(runDir, { recursive: true, force: true }); // also the 5 GiB of huge-sparse, right after its check
          const status = runOk(run) ? 'ok' : `FAILED (exit ${run.exitCode}${run.timedOut ? ', timeout' : ''}, ${check.detail})`;
          const refetch = v.kind === 'kill' && run.refetchedPerKillBytes !== null
            ? `, ${run.kills} kills, ${(run.refetchedBytes / MiB).toFixed(1)} MiB fetched twice = ${(run.refetchedPerKillBytes / MiB).toFixed(1)} MiB = ${run.refetchedPerKillS.toFixed(2)} s per kill (through the proxy ${(run.clientRefetchedPerKillBytes / MiB).toFixed(1)} MiB)` : '';
          log(`${work} rep ${rep}/${opts.reps} ${v.tool} N=${v.n}: ${run.wallS.toFixed(2)} s, ${run.mibps.toFixed(1)} MiB/s, ` +
            `cpu ${run.cpuS?.toFixed(2)} s (nginx ${nginxCpuS?.toFixed(2)} s, other ${otherCpuS?.toFixed(2)} s), rss ${((run.maxRssKiB ?? 0) / 1024).toFixed(1)} MiB, ${served.requests} requests${refetch}, ${status}`);
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
