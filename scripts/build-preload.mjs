// Bundles preload/index.ts into one CommonJS file: Electron's sandboxed preloads can `require`
// only `electron` (and a few Node built-ins), not ES modules or other files on disk.
// The glue tests call buildPreload() into a temp folder and run the result against a fake electron.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @param {{ outfile?: string }} [options] */
export async function buildPreload(options = {}) {
  const outfile = options.outfile ?? path.join(root, 'dist', 'preload', 'index.cjs');
  await build({
    entryPoints: [path.join(root, 'preload', 'index.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    // Syntax no newer than Node 22's; Electron 41's preload runtime is newer still.
    target: 'node22',
    external: ['electron'],
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildPreload();
  console.log(`preload built into ${path.relative(process.cwd(), out)}`);
}
