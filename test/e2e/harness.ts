// The e2e harness: the built renderer in headless Chromium, with `window.ferry` made by the preload's
// own createFerryApi and carried over a Playwright binding to the real IPC router, over a real engine
// and SQLite store, downloading from real loopback servers. Nothing between the page and the disk is
// faked except the OS shell (open file, show in folder, folder picker), which needs a desktop.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { contentSecurityPolicy } from '../../main/app/security.js';
import { createEngine } from '../../main/engine/engine.js';
import type { Engine } from '../../main/engine/engine-api.js';
import type { EngineSettings } from '../../main/engine/model.js';
import { createRouter, createSenderCheck, type Router } from '../../main/ipc/index.js';
import { createStore, type Store } from '../../main/store/store.js';
import { buildRenderer } from '../../scripts/build-renderer.mjs';
import { makeTempDir } from '../helpers/files.js';
import type { FerryTestHooks } from './page/hooks.js';
import { serveStatic, type StaticServer } from './static-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORT = { width: 1200, height: 760 };

export interface Harness {
  browser: Browser;
  origin: string;
  shim: string;
  close(): Promise<void>;
}

/** Builds the renderer and the page shim, serves the renderer, launches Chromium. */
export async function startHarness(): Promise<Harness> {
  const work = await makeTempDir('ferry-e2e-');
  const outdir = await buildRenderer({ outdir: path.join(work, 'renderer') });
  const shim = await esbuild.build({
    entryPoints: [path.join(here, 'page', 'shim.tsx')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
    logLevel: 'warning',
  });
  // The header Electron's session adds in the app, on top of index.html's own meta policy.
  const server: StaticServer = await serveStatic(outdir, { 'Content-Security-Policy': contentSecurityPolicy() });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    browser,
    origin: server.origin,
    shim: shim.outputFiles[0]!.text,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface ShellLog {
  openPath: string[];
  showItemInFolder: string[];
}

export interface AppOptions {
  /** Holds ferry.db and the Downloads folder; reuse one to reopen the same queue. */
  dataDir?: string;
  settings?: Partial<EngineSettings>;
  colorScheme?: 'light' | 'dark';
  /** What the OS folder picker "chooses". */
  pickedFolder?: string | null;
  /** Runs on the store before the engine starts (to pre-fill the database). */
  prefill?: (store: Store, downloadsDir: string) => void;
}

interface Backend {
  store: Store;
  engine: Engine;
  router: Router;
  unsubscribe(): void;
}

export interface FerryApp {
  page: Page;
  context: BrowserContext;
  dataDir: string;
  downloadsDir: string;
  shell: ShellLog;
  /** Uncaught page errors and console errors, for a final "nothing went wrong" check. */
  pageErrors: string[];
  readonly engine: Engine;
  readonly store: Store;
  readonly router: Router;
  /** Closes engine, store and router, opens new ones on the same database, reloads the page. */
  restart(): Promise<void>;
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

type PageGlobals = typeof globalThis & FerryTestHooks;

export async function openApp(h: Harness, options: AppOptions = {}): Promise<FerryApp> {
  const dataDir = options.dataDir ?? (await makeTempDir('ferry-e2e-data-'));
  const downloadsDir = path.join(dataDir, 'Downloads');
  await mkdir(downloadsDir, { recursive: true });
  const dbFile = path.join(dataDir, 'ferry.db');
  const shell: ShellLog = { openPath: [], showItemInFolder: [] };
  const context = await h.browser.newContext({ viewport: VIEWPORT, colorScheme: options.colorScheme ?? 'light', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });

  // The page may call main only from the renderer's own origin, as Electron allows only its file.
  const isTrustedSender = createSenderCheck({ devServerUrl: h.origin });

  function startBackend(first: boolean): Backend {
    const store = createStore(dbFile);
    if (first) options.prefill?.(store, downloadsDir);
    const engine = createEngine({ store, settings: { progressIntervalMs: 100, ...options.settings } });
    engine.start();
    const router = createRouter({
      engine,
      store,
      downloadsDir,
      isTrustedSender,
      shell: {
        async openPath(p) {
          shell.openPath.push(p);
        },
        showItemInFolder(p) {
          shell.showItemInFolder.push(p);
        },
        async pickFolder() {
          return options.pickedFolder ?? null;
        },
      },
    });
    // Events go into the page as main's webContents.send would; a page mid-reload just misses them
    // (the renderer asks for the whole list again when it loads).
    // Payloads travel as JSON text: Playwright's own serializer is quadratic in the number of objects
    // (a 10,000-download list took 20 s), and JSON is also what IPC's structured clone amounts to here.
    const unsubscribe = router.subscribe((channel, payload) => {
      page
        .evaluate(([c, p]) => (globalThis as PageGlobals).__ferryEmit(c, p), [channel, JSON.stringify(payload)] as const)
        .catch(() => {});
    });
    return { store, engine, router, unsubscribe };
  }

  async function stopBackend(b: Backend): Promise<void> {
    b.unsubscribe();
    b.router.close();
    await b.engine.close();
    b.store.close();
  }

  let backend = startBackend(true);
  await page.exposeBinding('__ferryInvoke', async (source, channel: string, payload: string | undefined) => {
    const request: unknown = payload === undefined ? undefined : JSON.parse(payload);
    return JSON.stringify(await backend.router.handle(channel, request, { id: 1, url: source.frame.url() }));
  });
  await page.addInitScript({ content: h.shim });
  await page.goto(`${h.origin}/index.html`);

  return {
    page,
    context,
    dataDir,
    downloadsDir,
    shell,
    pageErrors,
    get engine() {
      return backend.engine;
    },
    get store() {
      return backend.store;
    },
    get router() {
      return backend.router;
    },
    async restart() {
      await stopBackend(backend);
      backend = startBackend(false);
      await page.reload();
    },
    cspViolations: () => page.evaluate(() => (globalThis as PageGlobals).__cspViolations),
    async close() {
      await context.close();
      await stopBackend(backend);
    },
  };
}

/** Fires a real drop event (DragEvent with a DataTransfer) on the middle of the window. */
export function dropOnWindow(page: Page, data: Record<string, string>, files: { name: string; text: string }[] = []) {
  return page.evaluate(([d, f]) => (globalThis as PageGlobals).__ferryTest.drop(d, f), [data, files] as const);
}
