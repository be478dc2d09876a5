// Bundles the `ferry` command into one ES module file. Node resolves and compiles one file far
// faster than the hundreds of modules behind got: start-up drops from about 0.5 s to 0.25 s,
// which is most of a short download's overhead. better-sqlite3 stays external (a native addon).
// got is imported on demand (http-client.ts), so it goes into a chunk of its own beside the
// entry (dist/cli/chunks/) that a plain-http download never loads.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Flags the `ferry` command runs with; `npm run ferry` passes the same. */
export const NODE_FLAGS = ['--max-semi-space-size=1', '--heap-growing-percent=100'];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @param {{ outfile?: string }} [options] */
export async function buildCli(options = {}) {
  const outfile = options.outfile ?? path.join(root, 'dist', 'cli', 'ferry.mjs');
  const outdir = path.dirname(outfile);
  fs.rmSync(path.join(outdir, 'chunks'), { recursive: true, force: true });
  await build({
    entryPoints: { [path.basename(outfile, '.mjs')]: path.join(root, 'main', 'cli', 'bin.ts') },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __ferryRequire } from 'node:module';\nconst require = __ferryRequire(import.meta.url);" },
    sourcemap: true,
    logLevel: 'warning',
  });
  // A 1 MiB young generation (V8's default grows to 16 MiB): what the data path allocates dies
  // young, so a small nursery costs no measurable speed. Measured here: 4 MiB kept many small
  // downloads ~15 MiB lower than the default, and 1 MiB a 16-connection GiB another ~5 MiB.
  // The old generation may grow to twice what was live after a full collection (V8 lets it reach
  // up to 4x when collections are fast): a 10,000-URL list peaked at 141-146 MiB with ~20 MiB
  // live, and now at 103-105 MiB, ~4 % slower; 1000 files and one big file: no change measured.
  // `env -S` passes the flags on.
  const code = fs.readFileSync(outfile, 'utf8').replace(/^#!.*\n/, '');
  fs.writeFileSync(outfile, `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}\n${code}`);
  fs.chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildCli();
  console.log(`ferry CLI built into ${path.relative(process.cwd(), out)}`);
}
