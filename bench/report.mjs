// Turns the raw runs into the summary table (Markdown), the targets section, and the JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const TARGETS = {
  throttledRatio: 1.02, // ferry throttled MiB/s >= 1.02 × N × rate, wall time including start and exit
  curlRatio: 1.0, // ferry unthrottled MiB/s >= 1.0 × curl's, at every N
  manySmallVsAria2c: 0.4, // ferry's seconds for 1000 small files <= 0.4 × aria2c's
  rssMiB: 120, // ferry peak RSS, every run
  rssN16MiB: 80, // ferry peak RSS with 16 connections on one file
  cpuPerGiBVsAria2c: 1, // ferry CPU s/GiB <= 1 × aria2c's at the same N
  refetchPerKillS: 1, // kill-refetch: bytes fetched twice per SIGKILL <= 1 s of transfer at N × rate
};

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function runOk(r) {
  return r.exitCode === 0 && !r.timedOut && r.sha256Ok === true;
}

/**
 * One row per (workload, tool, N). `variants` is the planned list (including ferry rows that were
 * not run because Ferry is not built); `runs` is every measured rep.
 */
export function summarize(variants, runs, { rateMiB }) {
  const rows = variants.map((v) => {
    const mine = runs.filter((r) => r.work === v.work && r.tool === v.tool && r.n === v.n);
    const ok = mine.filter(runOk);
    const row = {
      work: v.work, tool: v.tool, n: v.n, kind: v.kind, bytes: v.bytes, throttled: v.throttled, unit: v.unit,
      status: v.skip ?? (mine.length === 0 ? 'not run' : ok.length === mine.length ? 'ok' : 'FAILED'),
      reps: mine.length, okReps: ok.length,
      medianMiBps: median(ok.map((r) => r.mibps)),
      medianWallS: median(ok.map((r) => r.wallS)),
      medianCpuS: median(ok.map((r) => r.cpuS)),
      medianRequests: median(ok.map((r) => r.requests)),
      peakRssMiB: ok.length ? Math.max(...ok.map((r) => (r.maxRssKiB ?? 0) / 1024)) : null,
      firstFailure: (() => {
        const bad = mine.find((r) => !runOk(r));
        return bad ? `rep ${bad.rep}: exit ${bad.exitCode}${bad.timedOut ? ', timeout' : ''}, ${bad.verify}` : null;
      })(),
      idealMiBps: v.throttled && v.kind !== 'kill' ? v.n * rateMiB : null,
    };
    if (v.kind === 'kill') {
      Object.assign(row, {
        medianKills: median(ok.map((r) => r.kills)),
        medianAttempts: median(ok.map((r) => r.attemptCount)),
        medianRefetchedBytes: median(ok.map((r) => r.refetchedBytes)),
        medianPerKillBytes: median(ok.map((r) => r.refetchedPerKillBytes)),
        medianPerKillS: median(ok.map((r) => r.refetchedPerKillS)),
        maxPerKillS: ok.length ? Math.max(...ok.map((r) => r.refetchedPerKillS ?? 0)) : null,
        medianClientPerKillBytes: median(ok.map((r) => r.clientRefetchedPerKillBytes)),
        rateMiBps: v.n * rateMiB,
      });
    }
    row.cpuSPerGiB = row.medianCpuS !== null ? row.medianCpuS / (v.bytes / GiB) : null;
    row.ratioIdeal = row.idealMiBps && row.medianMiBps !== null ? row.medianMiBps / row.idealMiBps : null;
    return row;
  });
  for (const row of rows) {
    const curl = rows.find((r) => r.work === row.work && r.tool === 'curl');
    row.ratioCurl = curl && curl.medianMiBps && row.medianMiBps !== null ? row.medianMiBps / curl.medianMiBps : null;
  }
  return rows;
}

const f = (x, d) => (x === null || x === undefined ? '—' : x.toFixed(d));

function shaCell(row) {
  if (row.status === 'ok') return 'ok';
  if (row.status === 'FAILED') return `FAILED (${row.reps - row.okReps}/${row.reps})`;
  return row.status; // "not built", "not run"
}

export const COLUMNS = [
  'work', 'tool', 'N', 'MiB/s (median)', 'wall s (median)', '× curl', '× ideal',
  'CPU s', 'CPU s/GiB', 'peak RSS MiB', 'requests', 'sha256',
];

export function tableRows(rows) {
  return rows.map((r) => [
    r.work, r.tool, String(r.n),
    f(r.medianMiBps, 1), f(r.medianWallS, 2), f(r.ratioCurl, 2), r.throttled ? f(r.ratioIdeal, 3) : '',
    f(r.medianCpuS, 2), f(r.cpuSPerGiB, 2), f(r.peakRssMiB, 1), f(r.medianRequests, 0), shaCell(r),
  ]);
}

/** kill-refetch has its own table: what it measures is bytes fetched twice, not speed. */
export const KILL_COLUMNS = [
  'work', 'tool', 'N', 'kills', 'attempts', 'fetched twice MiB', 'MiB per kill', 's per kill',
  'via proxy MiB per kill', 'wall s (sum)', 'peak RSS MiB', 'sha256',
];

export function killTableRows(rows) {
  return rows.map((r) => [
    r.work, r.tool, String(r.n), f(r.medianKills, 0), f(r.medianAttempts, 0),
    f(r.medianRefetchedBytes === null || r.medianRefetchedBytes === undefined ? null : r.medianRefetchedBytes / MiB, 1),
    f(r.medianPerKillBytes === null || r.medianPerKillBytes === undefined ? null : r.medianPerKillBytes / MiB, 1),
    f(r.medianPerKillS, 2),
    f(r.medianClientPerKillBytes === null || r.medianClientPerKillBytes === undefined ? null : r.medianClientPerKillBytes / MiB, 1),
    f(r.medianWallS, 2), f(r.peakRssMiB, 1), shaCell(r),
  ]);
}

export function markdownTable(header, body, numericFrom = 2) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const numeric = header.map((_, i) => i >= numericFrom && i < header.length - 1);
  const line = (cells) => `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), sep, ...body.map(line)].join('\n');
}

/** Each target as { target, status: met | missed | not evaluated, detail }. */
export function evaluateTargets(rows, { rateMiB, throttle = 'conn', skipped = [] }) {
  const out = [];
  const ferry = rows.filter((r) => r.tool === 'ferry');
  const ferryBuilt = ferry.some((r) => r.status !== 'not built');
  const notBuilt = (target) => out.push({ target, status: 'not evaluated', detail: ferry.length ? 'ferry not built' : 'ferry not selected (--tools)' });

  // 1. Throttled: ferry >= 1.02 × N × rate, for each N.
  const thr = ferry.filter((r) => r.work === 'throttled');
  if (thr.length === 0) {
    out.push({ target: `throttled ferry ≥ ${TARGETS.throttledRatio} × N × ${rateMiB} MiB/s`, status: 'not evaluated', detail: 'no ferry rows (workload or tool not selected)' });
  }
  for (const r of thr) {
    const target = `throttled ferry N=${r.n} ≥ ${TARGETS.throttledRatio} × ${r.n} × ${rateMiB} MiB/s (${(TARGETS.throttledRatio * r.idealMiBps).toFixed(1)} MiB/s)`;
    if (!ferryBuilt) { notBuilt(target); continue; }
    if (r.medianMiBps === null) { out.push({ target, status: 'missed', detail: `no successful run (${r.status})` }); continue; }
    const met = r.ratioIdeal >= TARGETS.throttledRatio && r.status === 'ok';
    // With --throttle request, nginx's limit_rate is per request and lets each request start with a
    // burst (about min(rate × 1 s, sendfile_max_chunk) = 2 MiB here): short range requests dodge it.
    const perReq = r.medianRequests ? r.bytes / r.medianRequests / MiB : null;
    const warn = throttle === 'request' && perReq !== null && perReq < 2 * rateMiB
      ? `; WARNING: ${perReq.toFixed(2)} MiB per request, short requests partly bypass nginx's per-request limit_rate` : '';
    // Plain Node's N equal ranges at the same N (bench/node-ceiling.mjs): on the per-connection
    // throttle, the ceiling of what N connections manage here at all.
    const ceiling = rows.find((c) => c.work === 'throttled' && c.tool === 'node' && c.n === r.n && c.ratioIdeal !== null);
    const ceil = ceiling ? `; node, ${r.n} equal ranges: ${ceiling.ratioIdeal.toFixed(3)} × ideal` : '';
    out.push({ target, status: met ? 'met' : 'missed', detail: `${r.medianMiBps.toFixed(2)} MiB/s = ${r.ratioIdeal.toFixed(3)} × ideal, ${f(r.medianRequests, 0)} requests${r.status === 'ok' ? '' : `, ${r.status}`}${ceil}${warn}` });
  }

  // 2. Unthrottled: ferry's MiB/s >= 1.0 × curl's (one connection) at every N.
  {
    const big = rows.filter((r) => r.work === 'big-unthrottled');
    const curl = big.find((r) => r.tool === 'curl' && r.medianMiBps !== null);
    const fr = big.filter((r) => r.tool === 'ferry');
    if (big.length === 0) out.push({ target: 'unthrottled ferry MiB/s ≥ curl', status: 'not evaluated', detail: 'workload not run' });
    else if (!curl) out.push({ target: 'unthrottled ferry MiB/s ≥ curl', status: 'not evaluated', detail: 'no successful curl run' });
    for (const r of curl ? fr : []) {
      const target = `unthrottled ferry N=${r.n} ≥ ${TARGETS.curlRatio} × curl (${(TARGETS.curlRatio * curl.medianMiBps).toFixed(1)} MiB/s)`;
      if (!ferryBuilt) { notBuilt(target); continue; }
      if (r.medianMiBps === null) { out.push({ target, status: 'missed', detail: `no successful run (${r.status})` }); continue; }
      const a = big.find((x) => x.tool === 'aria2c' && x.n === r.n);
      out.push({
        target,
        status: r.medianMiBps >= TARGETS.curlRatio * curl.medianMiBps ? 'met' : 'missed',
        detail: `${r.medianMiBps.toFixed(1)} MiB/s = ${(r.medianMiBps / curl.medianMiBps).toFixed(2)} × curl${a?.medianMiBps ? `, ${(r.medianMiBps / a.medianMiBps).toFixed(2)} × aria2c` : ''}`,
      });
    }
  }

  // 2b. Many small files: ferry's seconds <= 0.4 × aria2c's.
  {
    const ms = rows.filter((r) => r.work === 'many-small');
    const fr = ms.find((r) => r.tool === 'ferry');
    const a = ms.find((r) => r.tool === 'aria2c');
    const target = `many-small: ferry seconds ≤ ${TARGETS.manySmallVsAria2c} × aria2c's`;
    if (!fr || !a) out.push({ target, status: 'not evaluated', detail: 'workload or tool not run' });
    else if (!ferryBuilt) notBuilt(target);
    else if (fr.medianWallS === null || a.medianWallS === null) out.push({ target, status: 'missed', detail: 'no successful run of both' });
    else {
      out.push({
        target,
        status: fr.medianWallS <= TARGETS.manySmallVsAria2c * a.medianWallS ? 'met' : 'missed',
        detail: `ferry ${fr.medianWallS.toFixed(2)} s vs aria2c ${a.medianWallS.toFixed(2)} s (${(fr.medianWallS / a.medianWallS).toFixed(2)}×)`,
      });
    }
  }

  // 3. Ferry peak RSS <= 120 MiB, over every ferry run.
  {
    const target = `ferry peak RSS ≤ ${TARGETS.rssMiB} MiB`;
    const measured = ferry.filter((r) => r.peakRssMiB !== null);
    if (!ferryBuilt) notBuilt(target);
    else if (measured.length === 0) out.push({ target, status: 'missed', detail: 'no successful ferry run' });
    else {
      const worst = measured.reduce((a, b) => (b.peakRssMiB > a.peakRssMiB ? b : a));
      out.push({
        target,
        status: worst.peakRssMiB <= TARGETS.rssMiB ? 'met' : 'missed',
        detail: `max ${worst.peakRssMiB.toFixed(1)} MiB (${worst.work}, N=${worst.n})`,
      });
    }
  }

  // 4. Ferry peak RSS with 16 connections on one file <= 80 MiB.
  {
    const target = `ferry get N=16 peak RSS ≤ ${TARGETS.rssN16MiB} MiB`;
    // The issue's N = 16 rows (big-https is measured besides them, and counts in target 3).
    const n16 = ferry.filter((r) => r.kind === 'single' && r.n === 16 && (r.work === 'big-unthrottled' || r.work === 'throttled'));
    const measured = n16.filter((r) => r.peakRssMiB !== null);
    if (n16.length === 0) out.push({ target, status: 'not evaluated', detail: 'no N=16 ferry rows (big-unthrottled or throttled not run)' });
    else if (!ferryBuilt) notBuilt(target);
    else if (measured.length === 0) out.push({ target, status: 'missed', detail: 'no successful ferry N=16 run' });
    else {
      const worst = measured.reduce((a, b) => (b.peakRssMiB > a.peakRssMiB ? b : a));
      out.push({
        target,
        status: worst.peakRssMiB <= TARGETS.rssN16MiB && measured.length === n16.length ? 'met' : 'missed',
        detail: `${measured.map((r) => `${r.work} ${r.peakRssMiB.toFixed(1)} MiB`).join(', ')}${measured.length === n16.length ? '' : '; some N=16 rows had no successful run'}`,
      });
    }
  }

  // 5. Ferry CPU s/GiB <= aria2c's at the same N, in every workload where both ran.
  {
    const works = [...new Set(rows.filter((r) => r.kind !== 'kill').map((r) => r.work))];
    let any = false;
    for (const work of works) {
      const pairs = rows.filter((r) => r.work === work && r.tool === 'ferry').map((fr) => [fr, rows.find((r) => r.work === work && r.tool === 'aria2c' && r.n === fr.n)]).filter(([, a]) => a);
      if (pairs.length === 0) continue;
      any = true;
      const target = `${work}: ferry CPU s/GiB ≤ aria2c's (same N)`;
      if (!ferryBuilt) { notBuilt(target); continue; }
      const measured = pairs.filter(([fr, a]) => fr.cpuSPerGiB !== null && a.cpuSPerGiB !== null);
      if (measured.length === 0) { out.push({ target, status: 'not evaluated', detail: 'no successful run of both' }); continue; }
      const met = measured.every(([fr, a]) => fr.cpuSPerGiB <= TARGETS.cpuPerGiBVsAria2c * a.cpuSPerGiB) && measured.length === pairs.length;
      out.push({
        target,
        status: met ? 'met' : 'missed',
        detail: measured.map(([fr, a]) => `N=${fr.n} ${fr.cpuSPerGiB.toFixed(2)} vs ${a.cpuSPerGiB.toFixed(2)} (${(fr.cpuSPerGiB / a.cpuSPerGiB).toFixed(2)}×)`).join(', ') +
          (measured.length === pairs.length ? '' : '; some N had no successful run of both'),
      });
    }
    if (!any) out.push({ target: "ferry CPU s/GiB ≤ aria2c's (same N)", status: 'not evaluated', detail: 'no workload with both ferry and aria2c rows' });
  }

  // 6. huge-sparse: the 5 GiB file (markers around 2^31 and 2^32) arrives byte-identical.
  {
    const hs = ferry.filter((r) => r.work === 'huge-sparse');
    const gib = hs[0] ? hs[0].bytes / GiB : 5;
    const target = `${gib} GiB sparse file: byte-identical (ferry)`;
    if (hs.length === 0) {
      const why = skipped.includes('huge-sparse') ? 'skipped by --quick (--only huge-sparse runs it)' : rows.some((r) => r.work === 'huge-sparse') ? 'ferry not selected (--tools)' : 'workload not run';
      out.push({ target, status: 'not evaluated', detail: why });
    }
    else if (!ferryBuilt) notBuilt(target);
    for (const r of hs) {
      if (r.status === 'not built') continue;
      const met = r.status === 'ok';
      out.push({
        target,
        status: met ? 'met' : 'missed',
        detail: `${r.okReps}/${r.reps} reps identical${r.medianMiBps !== null ? `, ${r.medianMiBps.toFixed(1)} MiB/s, peak RSS ${r.peakRssMiB.toFixed(1)} MiB` : ''}${met ? '' : ` (${r.status}; ${r.firstFailure ?? 'no run'})`}`,
      });
    }
  }

  // 7. kill-refetch: bytes fetched twice per SIGKILL <= 1 s of transfer at N × rate.
  {
    const kr = rows.filter((r) => r.work === 'kill-refetch');
    const fk = kr.filter((r) => r.tool === 'ferry');
    const target = `kill-refetch: ferry fetches ≤ ${TARGETS.refetchPerKillS} s of transfer twice per SIGKILL`;
    if (fk.length === 0) out.push({ target, status: 'not evaluated', detail: kr.length ? 'ferry not selected (--tools)' : 'workload not run' });
    for (const r of fk) {
      const t = `${target} (N=${r.n}: ${(TARGETS.refetchPerKillS * r.rateMiBps).toFixed(0)} MiB)`;
      if (r.status === 'not built') { notBuilt(t); continue; }
      if (r.medianPerKillS === null) { out.push({ target: t, status: 'missed', detail: `no successful run (${r.status})` }); continue; }
      const a = kr.find((x) => x.tool === 'aria2c' && x.n === r.n && x.medianPerKillS !== null);
      out.push({
        target: t,
        status: r.medianPerKillS <= TARGETS.refetchPerKillS && r.status === 'ok' ? 'met' : 'missed',
        detail: `median ${(r.medianPerKillBytes / MiB).toFixed(1)} MiB = ${r.medianPerKillS.toFixed(2)} s per kill (worst rep ${r.maxPerKillS.toFixed(2)} s), ${f(r.medianKills, 0)} kills${r.status === 'ok' ? '' : `, ${r.status}`}` +
          (a ? `; aria2c ${(a.medianPerKillBytes / MiB).toFixed(1)} MiB = ${a.medianPerKillS.toFixed(2)} s per kill` : ''),
      });
    }
  }
  return out;
}

/** How busy the machine was with other work while the tools ran, in cores (median and max over runs). */
export function backgroundLoad(runs) {
  const cores = runs.filter((r) => r.otherCpuS !== null && r.otherCpuS !== undefined && r.wallS > 0).map((r) => r.otherCpuS / r.wallS);
  return cores.length ? { medianCores: median(cores), maxCores: Math.max(...cores) } : null;
}

export const BUSY_WARN_CORES = 0.25;

export function renderReport({ rows, targets, meta, runs = [] }) {
  const lines = [];
  const bg = backgroundLoad(runs);
  lines.push(`## Ferry benchmark — ${meta.startedAt}${meta.options.quick ? ' (QUICK: small files, not comparable to a full run)' : ''}`);
  lines.push('');
  lines.push(`reps: ${meta.options.reps}; files: big ${meta.files.big.bytes / MiB} MiB, mid ${meta.files.mid.bytes / MiB} MiB, ` +
    `${meta.files.small.count} × ${meta.files.small.bytes / 1024} KiB${meta.files.huge ? `, huge ${meta.files.huge.bytes / GiB} GiB sparse` : ''}; throttle ${meta.throttle}; ` +
    `${meta.machine.cpus} cores, ${meta.machine.memGiB} GiB`);
  if (meta.options.skipped?.length) lines.push(`skipped by --quick: ${meta.options.skipped.join(', ')} (name it in --only to run it)`);
  lines.push(`${meta.versions.curl} | ${meta.versions.aria2c} | ${meta.versions.nginx} | node ${meta.versions.node} | ferry ${meta.versions.ferry}`);
  if (meta.fileCreateS !== undefined) lines.push(`the filesystem alone: creating and writing the many-small files in one folder took ${meta.fileCreateS.toFixed(2)} s (outputs are kept until the end: see bench/run.mjs)`);
  if (meta.droppedEnv?.length) lines.push(`left out of every tool's environment: ${meta.droppedEnv.join(', ')} (see bench/measure.mjs)`);
  if (bg) {
    lines.push(`background CPU (other processes, besides the tool and nginx): median ${bg.medianCores.toFixed(2)} cores, max ${bg.maxCores.toFixed(2)} cores`);
    if (bg.medianCores > BUSY_WARN_CORES) {
      lines.push('');
      lines.push(`**WARNING: the machine was busy with other work during this run (median ${bg.medianCores.toFixed(2)} of ${meta.machine.cpus} cores); the numbers are noisy. Rerun on an idle machine.**`);
    }
  }
  const main = rows.filter((r) => r.kind !== 'kill');
  const kill = rows.filter((r) => r.kind === 'kill');
  if (main.length) {
    lines.push('');
    lines.push(markdownTable(COLUMNS, tableRows(main)));
  }
  if (kill.length) {
    const k = meta.killRefetch;
    lines.push('');
    lines.push(`### kill-refetch: bytes fetched twice after SIGKILL`);
    lines.push('');
    lines.push(`mid ${meta.files.mid.bytes / MiB} MiB at ${meta.rateMiB} MiB/s per connection; SIGKILL (the whole process group) at ` +
      `${k.killAt.map((x) => `${Math.round(x * 100)} %`).join(', ')} of the ideal time, then the same command again (aria2c: plus -c) until it completes. ` +
      '"fetched twice" = body bytes nginx sent for the file over all attempts − its size; "s per kill" = MiB per kill ÷ (N × rate); ' +
      '"via proxy" = the same counted where the throttling proxy hands bytes to the tool.');
    lines.push('');
    lines.push(markdownTable(KILL_COLUMNS, killTableRows(kill), 3));
  }
  lines.push('');
  lines.push('### targets');
  lines.push('');
  for (const t of targets) lines.push(`- **${t.status}** — ${t.target}: ${t.detail}`);
  return lines.join('\n');
}

export function writeResults(dir, stamp, data, markdown) {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${stamp}.json`);
  writeFileSync(json, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(join(dir, `${stamp}.md`), `${markdown}\n`);
  return json;
}
