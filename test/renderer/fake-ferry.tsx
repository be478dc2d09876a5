// A plain object implementing FerryApi for renderer unit tests: every method records its calls and
// answers from an overridable table, and `emit` pushes events as main would. This fakes only our
// own boundary (window.ferry); the e2e tests run the real router, engine and network.
import { vi } from 'vitest';
import type { AppSettings, DownloadSnapshot, EventName, Events, FerryApi, Method, Response, Result } from '../../preload/contract.js';

export const SETTINGS: AppSettings = {
  downloadDirectory: '/home/ada/Downloads',
  maxConcurrent: 3,
  connections: 8,
  adaptiveConnections: true,
  dropAction: 'ask',
  keepRunningInTray: true,
  notifications: true,
  theme: 'system',
};

export function snapshot(over: Partial<DownloadSnapshot> & { id: number }): DownloadSnapshot {
  return {
    url: `https://example.com/file-${over.id}.bin`,
    finalUrl: null,
    directory: '/home/ada/Downloads',
    fileName: `file-${over.id}.bin`,
    fileNameFixed: false,
    overwrite: false,
    size: 1000,
    etag: null,
    lastModified: null,
    resumable: true,
    status: 'queued',
    position: over.id,
    connections: 8,
    error: null,
    restartReason: null,
    contentType: null,
    checksum: null,
    sha256: null,
    createdAt: 1,
    updatedAt: 1,
    completedAt: null,
    downloaded: 0,
    speed: 0,
    eta: null,
    activeConnections: 0,
    connectionTrial: null,
    segments: [],
    ...over,
  };
}

type Answers = { [M in Method]?: (request: never) => Response<M> | Promise<Response<M>> };

export interface FakeFerry {
  api: FerryApi;
  calls: { method: Method; request: unknown }[];
  emit<E extends EventName>(event: E, payload: Events[E]['payload']): void;
  callsOf(method: Method): unknown[];
}

export function createFakeFerry(answers: Answers = {}): FakeFerry {
  const calls: FakeFerry['calls'] = [];
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const defaults: Answers = {
    list: () => [],
    getSettings: () => SETTINGS,
    defaultFolder: () => ({ folderId: 'default', path: SETTINGS.downloadDirectory }),
    pickFolder: () => ({ folderId: 'picked-1', path: '/mnt/big/isos' }),
    details: ((req: { id: number }) => snapshot({ id: req.id })) as never,
    add: ((req: { urls: string[] }) => ({ added: req.urls.map((url, i) => snapshot({ id: 100 + i, url })), rejected: [] })) as never,
    updateSettings: ((patch: Partial<AppSettings>) => ({ ...SETTINGS, ...patch })) as never,
  };
  const handler = (method: Method) =>
    vi.fn(async (request?: unknown): Promise<Result<unknown>> => {
      calls.push({ method, request });
      const answer = (answers[method] ?? defaults[method]) as ((r: unknown) => unknown) | undefined;
      try {
        return { ok: true, value: answer ? await answer(request) : undefined };
      } catch (error) {
        return { ok: false, error: { code: 'TEST', message: (error as Error).message } };
      }
    });
  const methods: Method[] = [
    'list', 'details', 'add', 'pause', 'resume', 'cancel', 'remove', 'retry', 'move', 'pauseAll', 'resumeAll',
    'openFile', 'showInFolder', 'getSettings', 'updateSettings', 'pickDownloadFolder', 'pickFolder', 'defaultFolder',
  ];
  const api = Object.fromEntries(methods.map((m) => [m, handler(m)])) as unknown as FerryApi;
  (api as { on: FerryApi['on'] }).on = (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (payload: unknown) => void);
    return () => void set.delete(listener as (payload: unknown) => void);
  };
  return {
    api,
    calls,
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
    callsOf: (method) => calls.filter((c) => c.method === method).map((c) => c.request),
  };
}
