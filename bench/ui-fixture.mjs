// The 10,000-download queue for the UI benchmark, written through the real store (dist/main/store),
// and the CPU bookkeeping that says how busy the rest of the machine was meanwhile.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const MiB = 1024 * 1024;
const USER_HZ = 100; // /proc reports CPU time in 1/100 s on Linux

/**
 * Fills `store` with `count` downloads in one transaction. `active` of them, spread evenly over the
 * list, are queued and point at the slow server: with maxConcurrent = `active` (saved as the user's
 * setting) the engine starts exactly those. The rest never touch the network: about a quarter
 * completed, a few failed, paused ones with part of their bytes recorded in segments, and near the
 * end of the list some queued ones waiting behind the active ones (their URLs are slow too, so one
 * would only start if an active download ended, which cannot happen within a run).
 */
export function prefillQueue(store, { count, active, downloadsDir, slowBase }) {
  const every = Math.floor(count / active);
  const isActive = (i) => (i - 1) % every === 0 && (i - 1) / every < active;
  const lastActive = 1 + (active - 1) * every;
  const ids = { active: [], queued: 0, paused: 0, completed: 0, failed: 0 };
  const t0 = Date.now();
  store.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const name = `file-${String(i).padStart(5, '0')}.bin`;
      const size = (i % 97) * MiB + 4096;
      let status;
      if (isActive(i)) status = 'queued';
      else if (i > lastActive && i % 4 === 1) status = 'queued';
      else if (i % 4 === 0) status = 'completed';
      else if (i % 50 === 7) status = 'failed';
      else status = 'paused';
      const slow = status === 'queued';
      const d = store.downloads.insert({
        url: slow ? `${slowBase}/${name}` : `https://downloads.example.invalid/${name}`,
        directory: downloadsDir,
        fileName: name,
        fileNameFixed: true,
        overwrite: false,
        status,
        connections: 8,
      });
      if (isActive(i)) {
        ids.active.push(d.id);
        continue;
      }
      ids[status]++;
      if (status === 'completed') {
        store.downloads.update(d.id, { size, resumable: true, completedAt: t0, sha256: 'ab'.repeat(32), contentType: 'application/octet-stream' });
      } else if (status === 'failed') {
        store.downloads.update(d.id, { error: { code: 'HTTP_NOT_FOUND', message: 'The file was not found on the server (HTTP 404).' } });
      } else if (status === 'paused') {
        store.downloads.update(d.id, { size, resumable: true });
        const half = Math.floor(size / 2);
        store.segments.replace(d.id, [
          { start: 0, end: half - 1, written: Math.floor(half * ((i % 10) / 10)) },
          { start: half, end: size - 1, written: Math.floor((size - half) * ((i % 7) / 10)) },
        ]);
      }
    }
    store.settings.save({ maxConcurrent: active });
  });
  return ids;
}

/** The fields of a /proc stat file after the command name: state (0), ppid (1), … utime (11), stime (12). */
/** A /proc stat file's command name (between the parentheses) and the fields after it. */
function readStat(file) {
  const text = readFileSync(file, 'utf8');
  return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), fields: text.slice(text.lastIndexOf(')') + 2).split(' ') };
}

function statFields(file) {
  return readStat(file).fields;
}

/** [pid, read(pid)] for every process in /proc; a process that exits while it is read is skipped. */
function* eachProcess(read) {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let value;
    try {
      value = read(d);
    } catch {
      continue;
    }
    yield [Number(d), value];
  }
}

/** utime + stime ticks of `root` itself and of every process below it (Chromium's renderers are grandchildren). */
function treeTicks(root) {
  const parent = new Map();
  const ticks = new Map();
  for (const [pid, f] of eachProcess((d) => statFields(path.join('/proc', d, 'stat')))) {
    parent.set(pid, Number(f[1]));
    ticks.set(pid, Number(f[11]) + Number(f[12]));
  }
  let below = 0;
  for (const [pid, t] of ticks) {
    for (let p = parent.get(pid) ?? 0; p > 1; p = parent.get(p) ?? 0) {
      if (p === root) {
        below += t;
        break;
      }
    }
  }
  return { self: ticks.get(root) ?? 0, below };
}

/** CPU seconds the whole machine has been busy (all cores, from /proc/stat). */
function machineBusyS() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) / USER_HZ;
}

/** A thread's command name and its CPU ticks (utime + stime) from its /proc stat file. */
function taskStat(file) {
  const { comm, fields: f } = readStat(file);
  return { comm, ticks: Number(f[11]) + Number(f[12]) };
}

/** Which of the threads that make a frame `comm` is, in a Chromium process of `type`; null for the rest. */
function frameThreadKind(type, isMain, comm) {
  if (type === 'renderer') {
    if (isMain) return 'main'; // the page's script, style, layout and paint
    if (comm.startsWith('ThreadPoolForeg')) return 'raster'; // tiles, rastered in software here
    if (comm === 'Compositor') return 'compositor';
  }
  if (type === 'gpu-process' && comm.startsWith('VizCompositor')) return 'display'; // draws each frame, in software here
  return null;
}

/**
 * CPU milliseconds (user + system) so far of the Chromium threads that make a frame, summed over
 * the Chromium processes below this one: the renderers' main threads (`main`: the page's script,
 * style, layout and paint; what `mainCpuMs` reports), their raster workers and compositor threads,
 * and the GPU process's display compositor, which draws every frame (in software with
 * --disable-gpu). A frame that changed nothing visible costs the display compositor nothing: a
 * scroll whose frames show no new content shows up here. Null off Linux.
 */
export function frameThreadsCpuMs() {
  try {
    const sum = { main: 0, raster: 0, compositor: 0, display: 0 };
    const chromium = eachProcess((d) => readFileSync(path.join('/proc', d, 'cmdline'), 'utf8').match(/--type=([a-z-]+)/)?.[1] ?? null);
    for (const [pid, type] of chromium) {
      if (!type || !isBelow(pid, process.pid)) continue;
      for (const tid of readdirSync(path.join('/proc', String(pid), 'task'))) {
        let stat;
        try {
          stat = taskStat(path.join('/proc', String(pid), 'task', tid, 'stat'));
        } catch {
          continue; // the thread ended
        }
        const kind = frameThreadKind(type, tid === String(pid), stat.comm);
        if (kind) sum[kind] += (stat.ticks * 1000) / USER_HZ;
      }
    }
    return sum;
  } catch {
    return null;
  }
}

function isBelow(pid, root) {
  try {
    for (let p = pid, hops = 0; p > 1 && hops < 16; hops++) {
      p = Number(statFields(path.join('/proc', String(p), 'stat'))[1]);
      if (p === root) return true;
    }
  } catch {
    // a process on the way exited
  }
  return false;
}

/** CPU seconds of the machine, of this Node process and of its children (Chromium); nulls off Linux. */
export function cpuSample() {
  try {
    const { self, below } = treeTicks(process.pid);
    return { machine: machineBusyS(), node: self / USER_HZ, children: below / USER_HZ };
  } catch {
    return null;
  }
}

/**
 * Cores used between two samples: by this Node process (engine, servers, Playwright), by its
 * children (Chromium), and by everything else (processes that exited meanwhile count as others).
 */
export function coresBetween(a, b, seconds) {
  if (!a || !b || seconds <= 0) return { node: null, chromium: null, others: null };
  const node = (b.node - a.node) / seconds;
  const chromium = (b.children - a.children) / seconds;
  return { node, chromium, others: Math.max(0, (b.machine - a.machine) / seconds - node - chromium) };
}
