// Runs one tool invocation under GNU time (`/usr/bin/time -v`) and measures it:
//   wall   - measured here, from spawn to exit (so it includes the tool's start-up and exit),
//   cpu    - user + sys seconds of the process and the children it waited for (from time -v),
//   rss    - "Maximum resident set size" (the largest single process in the tree, not a sum).
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { TIME_BIN } from './tools.mjs';

let current = null;
const CLK_TCK = 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

/** CPU seconds the whole machine has been busy (all cores; includes steal), or null off Linux. */
export function machineBusyCpuS() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal = 0] = f;
    return (user + nice + system + irq + softirq + steal) / CLK_TCK;
  } catch {
    return null;
  }
}

/** user + sys CPU seconds of process `pid` and its direct children (nginx: master + workers), or null. */
export function processTreeCpuS(pid) {
  if (!pid) return null;
  try {
    let ticks = 0;
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let stat;
      try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid ... utime(11) stime(12)
      if (Number(d) === pid || Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks / CLK_TCK;
  } catch {
    return null;
  }
}

/** Kills the invocation in flight, if any (whole process group). Used on SIGINT and timeouts. */
export function killCurrent(signal = 'SIGKILL') {
  if (current && current.exitCode === null && current.signalCode === null) {
    try { process.kill(-current.pid, signal); } catch { /* already gone */ }
  }
}

/**
 * SIGKILLs every process of the tool run as `child` (the `time` wrapper's process group) except the
 * wrapper itself, so `time -v` still reports the killed tool's CPU and peak RSS. Falls back to the
 * whole group when /proc shows no member (not exec'd yet, or not Linux).
 */
export function killToolGroup(child) {
  const pgid = child.pid;
  let killed = 0;
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d) || Number(d) === pgid) continue;
      let stat;
      try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      if (Number(f[2]) !== pgid) continue;
      try { process.kill(Number(d), 'SIGKILL'); killed++; } catch { /* gone */ }
    }
  } catch { /* no /proc */ }
  if (killed === 0) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } }
}

/** Parses the `time -v` report. */
export function parseTimeV(text) {
  const num = (re) => {
    const m = text.match(re);
    return m ? Number(m[1]) : null;
  };
  return {
    userS: num(/User time \(seconds\):\s*([\d.]+)/),
    sysS: num(/System time \(seconds\):\s*([\d.]+)/),
    maxRssKiB: num(/Maximum resident set size \(kbytes\):\s*(\d+)/),
    exitStatus: num(/Exit status:\s*(\d+)/),
    signal: num(/Command terminated by signal\s*(\d+)/),
  };
}

function tail(path, chars = 2000) {
  if (!existsSync(path)) return '';
  const s = readFileSync(path, 'utf8');
  return s.length > chars ? s.slice(-chars) : s;
}

/**
 * Variables left out of every tool's environment. NODE_EXTRA_CA_CERTS (set on machines behind a
 * TLS-intercepting proxy, as this one is for the package registry) makes Node parse the whole root
 * store before running any code: 80 ms of every start here, which a user without such a proxy never
 * pays. Most of the work is plain http on loopback; for https (big-https) each tool is given the
 * server's certificate (tools.mjs): Ferry then gets a NODE_EXTRA_CA_CERTS naming only that file.
 */
export const DROPPED_ENV = ['NODE_EXTRA_CA_CERTS'];

function toolEnv(extra = {}) {
  const env = { ...process.env };
  for (const k of DROPPED_ENV) delete env[k];
  return { ...env, ...extra };
}

/**
 * Runs `cmd args` under `time -v`, stdout/stderr to `${logBase}.out/.err`, time report to
 * `${logBase}.time`. Kills the process group after timeoutMs. With `killAtMs`, SIGKILLs the tool
 * (its whole process group but the `time` wrapper, see killToolGroup) that long after the spawn, on
 * purpose: the result then has `killed: true` (and not `timedOut`) unless it had exited already.
 * `env` adds variables to the tool's environment.
 * Resolves { exitCode, timedOut, killed, wallS, userS, sysS, cpuS, maxRssKiB, stderrTail }.
 */
export function runMeasured({ cmd, args, env, cwd, logBase, timeoutMs, killAtMs }) {
  const timeFile = `${logBase}.time`;
  const outFd = openSync(`${logBase}.out`, 'w');
  const errFd = openSync(`${logBase}.err`, 'w');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(TIME_BIN, ['-v', '-o', timeFile, '--', cmd, ...args], {
      cwd,
      env: toolEnv(env),
      stdio: ['ignore', outFd, errFd],
      detached: true, // own process group, so a timeout or SIGINT can kill the whole tree
    });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; killCurrent('SIGKILL'); }, timeoutMs);
    let killed = false;
    const killTimer = killAtMs === undefined ? null : setTimeout(() => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killed = true;
      killToolGroup(child);
    }, killAtMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      current = null;
      closeSync(outFd);
      closeSync(errFd);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      const wallS = (performance.now() - t0) / 1000;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      if (killed) { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* nothing left, as expected */ } }
      current = null;
      closeSync(outFd);
      closeSync(errFd);
      const tv = existsSync(timeFile) ? parseTimeV(readFileSync(timeFile, 'utf8')) : parseTimeV('');
      const exitCode = tv.exitStatus ?? (code ?? (signal ? 128 : -1));
      const cpuS = tv.userS !== null && tv.sysS !== null ? tv.userS + tv.sysS : null;
      resolve({
        exitCode: tv.signal ? 128 + tv.signal : exitCode,
        timedOut,
        killed,
        wallS,
        userS: tv.userS,
        sysS: tv.sysS,
        cpuS,
        maxRssKiB: tv.maxRssKiB,
        stderrTail: tail(`${logBase}.err`),
      });
    });
  });
}
