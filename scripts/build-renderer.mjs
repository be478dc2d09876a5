// Bundles the renderer for the window: dist/renderer/index.html + app.js + app.css (+ icon.svg). One script
// and one stylesheet, no inline code, so index.html's Content-Security-Policy (`default-src 'self'`,
// no 'unsafe-inline') holds. The e2e tests call buildRenderer() into a temp folder.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @param {{ outdir?: string, minify?: boolean }} [options] */
export async function buildRenderer(options = {}) {
  const outdir = options.outdir ?? path.join(root, 'dist', 'renderer');
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { app: path.join(root, 'renderer', 'main.tsx') },
    bundle: true,
    outdir,
    format: 'iife',
    platform: 'browser',
    // Electron 41's Chromium; the e2e tests run Debian's, which is newer.
    target: 'chrome130',
    jsx: 'automatic',
    minify: options.minify ?? true,
    sourcemap: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'icon.svg']) await copyFile(path.join(root, 'renderer', file), path.join(outdir, file));
  return outdir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildRenderer();
  console.log(`renderer built into ${path.relative(process.cwd(), out) || '.'}`);
}
