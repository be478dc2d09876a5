// The UI benchmark's two halves, wired as test/e2e/harness.ts wires them (that file is TypeScript,
// which this plain-Node benchmark cannot import): the built engine, store and IPC router from dist/,
// and headless Chromium with `window.ferry` built by the e2e page shim over a Playwright binding.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installProbe } from './ui-page.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// As CHROMIUM_ARGS and VIEWPORT in test/e2e/harness.ts.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1200, height: 760 };

/** The built engine, store, router and CSP (npm run build), and the dev tools the e2e harness uses. */
export async function loadModules() {
  for (const p of ['main/store/store.js', 'main/engine/engine.js', 'main/ipc/index.js', 'main/app/security.js']) {
    if (!existsSync(path.join(REPO, 'dist', p))) throw new Error(`dist/${p} is missing: run npm run build first`);
  }
  const dist = (p) => import(pathToFileURL(path.join(REPO, 'dist', p)).href);
  const [{ createStore }, { createEngine }, { createRouter, createSenderCheck }, { contentSecurityPolicy }, esbuild, { chromium }] = await Promise.all([
    dist('main/store/store.js'),
    dist('main/engine/engine.js'),
    dist('main/ipc/index.js'),
    dist('main/app/security.js'),
    import('esbuild'),
    import('playwright-core'),
  ]);
  return { createStore, createEngine, createRouter, createSenderCheck, contentSecurityPolicy, esbuild, chromium };
}

/**
 * Opens store + engine on `dbFile` and lists the queue, `reps` times (closing all but the last), and
 * returns the timings of each open. The first is the one an app start pays (nothing of the engine
 * warmed up yet in this process); the later ones show how much of it was this machine's noise.
 */
export async function openEngine(mod, dbFile, { reps, expected }) {
  const samples = [];
  for (let i = 0; ; i++) {
    const t0 = performance.now();
    const store = mod.createStore(dbFile);
    const t1 = performance.now();
    const engine = mod.createEngine({ store, settings: { progressIntervalMs: 100 } });
    engine.start();
    const t2 = performance.now();
    const listed = engine.list().length;
    const t3 = performance.now();
    samples.push({ storeMs: t1 - t0, startMs: t2 - t1, listMs: t3 - t2, totalMs: t3 - t0 });
    if (listed !== expected) throw new Error(`engine listed ${listed} downloads, expected ${expected}`);
    if (i === reps - 1) return { store, engine, samples };
    await engine.close();
    store.close();
  }
}

/** The router as main/app builds it; the OS shell is a stub (no desktop here), as in the e2e harness. */
export function createRouter(mod, { engine, store, downloadsDir, origin }) {
  return mod.createRouter({
    engine,
    store,
    downloadsDir,
    isTrustedSender: mod.createSenderCheck({ devServerUrl: origin }),
    shell: { async openPath() {}, showItemInFolder() {}, async pickFolder() { return null; } },
  });
}

/** The e2e page shim (test/e2e/page/shim.tsx): `window.ferry` from the preload's own createFerryApi. */
async function bundleShim(esbuild) {
  const out = await esbuild.build({
    entryPoints: [path.join(REPO, 'test', 'e2e', 'page', 'shim.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'warning',
  });
  return out.outputFiles[0].text;
}

/**
 * Launches Chromium and prepares a page with `window.ferry` carried to `router`, as openApp in
 * test/e2e/harness.ts does, plus the benchmark's probe (ui-page.mjs); the caller navigates it (and
 * times that). `onEvent` sees every router event on its way into the page. Returns
 * { browser, context, page, pageErrors, close }.
 */
export async function openWindow(mod, { router, onEvent }) {
  const shim = await bundleShim(mod.esbuild);
  // Signals are the benchmark's to handle: it closes the browser itself, after the engine and servers.
  const browser = await mod.chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  let unsubscribe = () => {};
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
    // Payloads travel as JSON text, as in the e2e harness (Playwright's own serializer is quadratic).
    unsubscribe = router.subscribe((channel, payload) => {
      onEvent?.(channel, payload);
      page.evaluate(([c, p]) => globalThis.__ferryEmit(c, p), [channel, JSON.stringify(payload)]).catch(() => {});
    });
    await page.exposeBinding('__ferryInvoke', async (source, channel, payload) => {
      const request = payload === undefined ? undefined : JSON.parse(payload);
      return JSON.stringify(await router.handle(channel, request, { id: 1, url: source.frame.url() }));
    });
    await page.addInitScript({ content: shim });
    await page.addInitScript(installProbe);
    return {
      browser,
      context,
      page,
      pageErrors,
      async close() {
        unsubscribe();
        await browser.close();
      },
    };
  } catch (error) {
    unsubscribe();
    await browser.close();
    throw error;
  }
}
