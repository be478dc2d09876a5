// The external tools the benchmark needs, installing them on a fresh machine, and the exact
// command line each tool gets for each kind of work.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { streamModuleLine } from './nginx.mjs';

// libnginx-mod-stream: Debian ships nginx's stream module (the per-connection throttle) separately.
export const APT_PACKAGES = ['nginx-light', 'libnginx-mod-stream', 'aria2', 'curl', 'time'];
export const TIME_BIN = '/usr/bin/time';

/** Full path of an executable found on PATH (plus the sbin dirs, where nginx lives), or null. */
export function which(name) {
  if (name.includes('/')) return isExecutable(name) ? name : null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const p = join(dir, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

function isExecutable(p) {
  try { accessSync(p, constants.X_OK); return true; } catch { return false; }
}

function hasStream(nginx) {
  if (!nginx) return false;
  try { streamModuleLine(nginx); return true; } catch { return false; }
}

function findAll() {
  const nginx = which('nginx');
  return {
    nginx, curl: which('curl'), aria2c: which('aria2c'), time: which(TIME_BIN),
    'nginx stream module': hasStream(nginx) ? 'ok' : null,
  };
}

function apt(args, log) {
  log(`$ apt-get ${args.join(' ')}`);
  const r = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

/**
 * Makes sure nginx, curl, aria2c and GNU time are present; installs them with apt-get when one is
 * missing (apt-get update only then). Throws when they are missing and cannot be installed.
 */
export function ensureTools(log) {
  let found = findAll();
  const result = () => ({ nginx: found.nginx, curl: found.curl, aria2c: found.aria2c, time: found.time });
  const missing = Object.entries(found).filter(([, p]) => !p).map(([k]) => k);
  if (missing.length === 0) return result();
  log(`missing tools: ${missing.join(', ')}; installing ${APT_PACKAGES.join(' ')}`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`missing ${missing.join(', ')} and not root: run apt-get install -y ${APT_PACKAGES.join(' ')}`);
  }
  if (!apt(['update'], log)) throw new Error('apt-get update failed');
  if (!apt(['install', '-y', ...APT_PACKAGES], log)) {
    // Newer Debian releases fold nginx-light into plain nginx.
    log('install with nginx-light failed; retrying with the nginx package');
    if (!apt(['install', '-y', 'nginx', ...APT_PACKAGES.slice(1)], log)) throw new Error('apt-get install failed');
  }
  found = findAll();
  const still = Object.entries(found).filter(([, p]) => !p).map(([k]) => k);
  if (still.length) throw new Error(`still missing after install: ${still.join(', ')}`);
  return result();
}

function firstLine(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').find((l) => l.trim()) ?? 'unknown';
}

export function toolVersions(paths, ferry) {
  return {
    curl: firstLine(paths.curl, ['--version']),
    aria2c: firstLine(paths.aria2c, ['--version']),
    nginx: firstLine(paths.nginx, ['-v']),
    time: firstLine(paths.time, ['--version']),
    node: process.version,
    ferry: ferry.built ? `built (${ferry.bin})` : 'not built',
  };
}

/** Where the Ferry CLI is expected after `npm run build`; rows show "not built" when it is absent. */
export function ferryInfo(repoRoot) {
  const bin = join(repoRoot, 'dist', 'cli', 'ferry.cjs');
  return { bin, built: existsSync(bin) };
}

/**
 * Command for one file: the tool fetches `url` into `outDir/name` using `n` connections. With `ca`
 * (a certificate's path, for https) each tool trusts it its own way: curl's --cacert and aria2c's
 * --ca-certificate, and for Ferry Node's NODE_EXTRA_CA_CERTS (also how a user adds a root).
 * `size` (the file's bytes) is for the node ceiling only, which is told it instead of probing.
 * Returns { cmd, args, env }.
 */
export function singleCommand(tool, { paths, ferry, url, outDir, name, n, dbPath, ca, size }) {
  const out = join(outDir, name);
  switch (tool) {
    case 'curl':
      return { cmd: paths.curl, args: ['-s', ...(ca ? ['--cacert', ca] : []), '-o', out, url] };
    case 'aria2c':
      return {
        cmd: paths.aria2c,
        args: ['-q', '-x', String(n), '-s', String(n), '-k', '1M', '--min-split-size=1M', ...(ca ? [`--ca-certificate=${ca}`] : []),
          '--file-allocation=none', '--allow-overwrite=true', '-d', outDir, '-o', name, url],
      };
    case 'ferry':
      // Run as installed: the file's own shebang line chooses Node and its flags.
      return { cmd: ferry.bin, args: ['get', url, '-o', out, '-c', String(n), '--db', dbPath], env: ca ? { NODE_EXTRA_CA_CERTS: ca } : undefined };
    case 'node':
      // Not a contender: the ceiling for N connections, told the size (see bench/node-ceiling.mjs).
      return { cmd: process.execPath, args: [fileURLToPath(new URL('node-ceiling.mjs', import.meta.url)), url, out, String(n), String(size)] };
    default:
      throw new Error(`unknown tool ${tool}`);
  }
}

/**
 * The command that carries on after the tool was killed mid-download (kill-refetch): Ferry's exact
 * same command (its database and .part file say what is there); aria2c's plus `-c` (it reads
 * OUT/NAME.aria2, its control file). Returns { cmd, args }.
 */
export function resumeCommand(tool, ctx) {
  const { cmd, args, env } = singleCommand(tool, ctx);
  switch (tool) {
    case 'aria2c':
      return { cmd, args: [...args.slice(0, -1), '-c', args[args.length - 1]] }; // -c before the URL
    case 'ferry':
      return { cmd, args, env };
    default:
      throw new Error(`no resume command for ${tool}`);
  }
}

/**
 * Command for a list of files, `j` at a time, into outDir. `listFile` has one URL a line;
 * `curlConfig` is the same list as a curl config file (url = "...").
 */
export function listCommand(tool, { paths, ferry, listFile, curlConfig, outDir, j, dbPath }) {
  switch (tool) {
    case 'curl':
      return {
        cmd: paths.curl,
        args: ['-s', '-Z', '--parallel-max', String(j), '--remote-name-all', '--output-dir', outDir, '-K', curlConfig],
      };
    case 'aria2c':
      return {
        cmd: paths.aria2c,
        args: ['-q', '-i', listFile, '-j', String(j), '-d', outDir, '--file-allocation=none', '--allow-overwrite=true'],
      };
    case 'ferry':
      return { cmd: ferry.bin, args: ['get', '-i', listFile, '-d', outDir, '-j', String(j), '--db', dbPath] };
    case 'node':
      // Not a contender: the floor under any Node download manager (see bench/node-floor.mjs).
      return { cmd: process.execPath, args: [fileURLToPath(new URL('node-floor.mjs', import.meta.url)), listFile, outDir, String(j)] };
    default:
      throw new Error(`unknown tool ${tool}`);
  }
}
