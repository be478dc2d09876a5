// Checks the packaging offline, where nothing can download Electron:
//  1. electron-builder.yml against electron-builder's own JSON schema (the check `npm run dist` runs first);
//  2. a real `--linux dir` build against a stub Electron folder (`electronDist`: one fake executable),
//     then a look inside the app.asar: the compiled main process, the preload, the renderer and
//     better-sqlite3's unpacked binding are in; tests, TypeScript sources and source maps are not.
// The stub build skips the native rebuild (`npmRebuild: false`): rebuilding better-sqlite3 for
// Electron needs Electron's headers or prebuilt binaries from the internet. `npm run dist` does it.
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = path.join(root, 'electron-builder.yml');

/** What must be in the archive (paths inside app.asar) for the app to start. */
export const REQUIRED = [
  'package.json',
  'dist/main/app/main.js',
  'dist/main/engine/engine.js',
  'dist/main/ipc/router.js',
  'dist/preload/index.cjs',
  'dist/renderer/index.html',
  'assets/tray.png',
  'node_modules/better-sqlite3/lib/index.js',
];
export const NATIVE_BINDING = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
/** Nothing of these may ship: tests, sources, tooling, maps, C sources of native modules. */
export const FORBIDDEN = [
  /^test\//,
  /^bench\//,
  /^scripts\//,
  /^docs\//,
  /^renderer\//,
  /^main\//,
  /^preload\/.*\.ts$/,
  /^(?!node_modules\/).*\.tsx?$/,
  /^(?!node_modules\/).*\.map$/,
  /^electron-builder\.yml$/,
  /^tsconfig.*\.json$/,
  /^node_modules\/better-sqlite3\/(src|deps)\//,
  /^node_modules\/(react|react-dom)\//,
];

/** Everything wrong with an archive's file list; empty when it is fine. */
export function findProblems(files, { main, bindingUnpacked, packagedPkg }) {
  const problems = [];
  for (const f of [...REQUIRED, main]) if (!files.includes(f)) problems.push(`missing from app.asar: ${f}`);
  for (const f of files) if (FORBIDDEN.some((re) => re.test(f))) problems.push(`should not be packaged: ${f}`);
  if (!bindingUnpacked) problems.push(`${NATIVE_BINDING} must be unpacked next to app.asar (a .node cannot load from inside it)`);
  if (packagedPkg.type !== 'module') problems.push('the packaged package.json must keep "type": "module" (the main process is ESM)');
  return problems;
}

export async function loadConfig() {
  const { getConfig } = require('app-builder-lib/out/util/config/config.js');
  return getConfig(root, CONFIG, null);
}

/** Throws electron-builder's own "Invalid configuration object" error when the schema is not met. */
export async function validateConfig(config) {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = require('builder-util');
  await validateConfiguration(config ?? (await loadConfig()), new DebugLogger(false));
}

async function exists(p) {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** The `--linux dir` build against a stub Electron; returns what went into the archive. */
export async function stubBuild({ keep = false } = {}) {
  for (const built of ['dist/main/app/main.js', 'dist/preload/index.cjs', 'dist/renderer/index.html']) {
    if (!(await exists(path.join(root, built)))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const work = await mkdtemp(path.join(os.tmpdir(), 'ferry-packaging-'));
  try {
    const electronDist = path.join(work, 'electron');
    await mkdir(electronDist);
    // electron-builder copies this folder and renames the executable to the product's name.
    await writeFile(path.join(electronDist, 'electron'), '#!/bin/sh\necho "stub Electron"\n', { mode: 0o755 });
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
    const electronVersion = require('electron/package.json').version;
    const { build, Platform, Arch } = require('electron-builder');
    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      publish: 'never',
      config: {
        electronDist,
        electronVersion,
        npmRebuild: false,
        directories: { output: path.join(work, 'out') },
      },
    });
    const resources = path.join(work, 'out', 'linux-unpacked', 'resources');
    const archive = path.join(resources, 'app.asar');
    const asar = require('@electron/asar');
    const files = asar.listPackage(archive, { isPack: false }).map((f) => f.replace(/^[/\\]/, '').split(path.sep).join('/'));
    const packagedPkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'));
    let bindingUnpacked = false;
    try {
      bindingUnpacked = asar.statFile(archive, NATIVE_BINDING).unpacked === true && (await exists(path.join(resources, 'app.asar.unpacked', NATIVE_BINDING)));
    } catch {
      bindingUnpacked = false;
    }
    const problems = findProblems(files, { main: pkg.main, bindingUnpacked, packagedPkg });
    return { files, problems, packagedPkg, outDir: keep ? work : null };
  } finally {
    if (!keep) await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const config = await loadConfig();
  await validateConfig(config);
  console.log('electron-builder.yml: valid against the electron-builder schema');
  const { files, problems } = await stubBuild();
  console.log(`stub linux dir build: ${files.length} entries in app.asar`);
  if (problems.length) {
    for (const p of problems) console.error(`  ✗ ${p}`);
    process.exit(1);
  }
  console.log('app.asar contents: ok');
}
