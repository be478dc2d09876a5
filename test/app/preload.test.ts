// The bundled preload, run as Electron would run it (CommonJS, `require('electron')` only) against a
// fake electron: it exposes exactly `window.ferry`, forwards calls to ipcRenderer.invoke, and
// hands listeners the payload but never the IPC event.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_CHANNELS, METHODS } from '../../preload/channels.js';
import { buildPreload } from '../../scripts/build-preload.mjs';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';

type Handler = (event: unknown, payload: unknown) => void;
let exposed: Map<string, unknown>;
let invoked: { channel: string; request: unknown }[];
let listeners: Map<string, Handler[]>;
let required: string[];

beforeAll(async () => {
  const outfile = path.join(await makeTempDir('ferry-preload-'), 'index.cjs');
  await buildPreload({ outfile });
  const code = await readFile(outfile, 'utf8');
  exposed = new Map();
  invoked = [];
  listeners = new Map();
  required = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
    ipcRenderer: {
      invoke: async (channel: string, request: unknown) => {
        invoked.push({ channel, request });
        return { ok: true, value: channel };
      },
      on: (channel: string, h: Handler) => void listeners.set(channel, [...(listeners.get(channel) ?? []), h]),
      removeListener: (channel: string, h: Handler) => void listeners.set(channel, (listeners.get(channel) ?? []).filter((x) => x !== h)),
    },
  };
  // A sandboxed preload's world: `require` knows electron and nothing else.
  const module = { exports: {} };
  const require = (name: string) => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  vm.runInNewContext(code, { require, module, exports: module.exports, console });
});
afterAll(removeTempDirs);

describe('preload bundle', () => {
  it('is CommonJS that requires only electron and exposes only `ferry`', () => {
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['ferry']);
    const api = exposed.get('ferry') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...METHODS, 'on'].sort());
  });

  it('sends each method on its contract channel', async () => {
    const api = exposed.get('ferry') as Record<string, (r?: unknown) => Promise<unknown>>;
    invoked.length = 0;
    for (const m of METHODS) expect(await api[m]!({ probe: m })).toEqual({ ok: true, value: METHOD_CHANNELS[m] });
    expect(invoked).toEqual(METHODS.map((m) => ({ channel: METHOD_CHANNELS[m], request: { probe: m } })));
  });

  it('passes listeners the payload only, and unsubscribes', () => {
    const api = exposed.get('ferry') as { on(e: string, l: (...args: unknown[]) => void): () => void };
    const got: unknown[][] = [];
    const off = api.on('progress', (...args) => void got.push(args));
    const event = { sender: { send: () => {} }, ports: [] };
    for (const h of listeners.get('downloads:progress') ?? []) h(event, { updated: [], removed: [7] });
    expect(got).toEqual([[{ updated: [], removed: [7] }]]);
    off();
    expect(listeners.get('downloads:progress')).toEqual([]);
    expect(() => api.on('nope', () => {})).toThrow(/unknown event/);
  });
});
