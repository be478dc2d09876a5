// The sandboxed preload: exposes `window.ferry` (one function per contract method, plus `on` for
// events) and nothing else. The raw ipcRenderer and the IPC `event` object never reach the page,
// so a compromised page can only call the methods main validates. Bundled to CommonJS by
// scripts/build-preload.mjs, because a sandboxed preload cannot load ES modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createFerryApi } from './api.js';

contextBridge.exposeInMainWorld(
  'ferry',
  createFerryApi({
    invoke: (channel, request) => ipcRenderer.invoke(channel, request),
    subscribe: (channel, listener) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, handler);
      return () => void ipcRenderer.removeListener(channel, handler);
    },
  }),
);
