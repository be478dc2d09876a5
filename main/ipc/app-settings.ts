// The settings the window shows: the engine's own (max concurrent, connections, the connection
// trial as on or off) plus the app's
// (folder, drop action, tray, notifications, theme), stored as JSON values beside the engine's in
// the same SQLite table. Values read back are validated; anything damaged falls back to the default.
import path from 'node:path';
import { z } from 'zod';
import type { Engine } from '../engine/engine-api.js';
import type { Store } from '../store/store.js';
import type { AppSettings } from '../../preload/contract.js';
import { DEFAULT_SETTINGS, type EngineSettings } from '../engine/model.js';

/** What the renderer may change; the folder changes only through the picker in main. */
export type SettingsPatch = Partial<Omit<AppSettings, 'downloadDirectory'>>;

export interface AppSettingsService {
  get(): AppSettings;
  update(patch: SettingsPatch): AppSettings;
  /** Only main calls this, with a folder the user picked in the OS dialog. */
  setDownloadDirectory(directory: string): AppSettings;
  downloadDirectory(): string;
}

export interface AppSettingsDeps {
  store: Store;
  engine: Engine;
  /** The OS downloads folder: the default until the user picks another. */
  defaultDirectory: string;
}

// Namespaced so an app key can never be mistaken for one of the engine's settings.
const KEY = {
  downloadDirectory: 'app.downloadDirectory',
  dropAction: 'app.dropAction',
  keepRunningInTray: 'app.keepRunningInTray',
  notifications: 'app.notifications',
  theme: 'app.theme',
} as const;

const stored = {
  downloadDirectory: z.string().min(1).refine((p) => path.isAbsolute(p)),
  dropAction: z.enum(['ask', 'add']),
  keepRunningInTray: z.boolean(),
  notifications: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
};

export const APP_DEFAULTS = {
  dropAction: 'ask',
  keepRunningInTray: true,
  notifications: true,
  theme: 'system',
} as const satisfies Partial<AppSettings>;

export function createAppSettings(deps: AppSettingsDeps): AppSettingsService {
  const { store, engine } = deps;
  if (!path.isAbsolute(deps.defaultDirectory)) throw new Error('The default download folder must be an absolute path.');

  function read<K extends keyof typeof stored>(key: K, fallback: z.infer<(typeof stored)[K]>): z.infer<(typeof stored)[K]> {
    const parsed = stored[key].safeParse(store.settings.get(KEY[key]));
    return parsed.success ? (parsed.data as z.infer<(typeof stored)[K]>) : fallback;
  }

  const service: AppSettingsService = {
    get() {
      const engineSettings = engine.settings();
      return {
        downloadDirectory: read('downloadDirectory', deps.defaultDirectory),
        maxConcurrent: engineSettings.maxConcurrent,
        connections: engineSettings.connections,
        adaptiveConnections: engineSettings.connectionTrialAbove > 0,
        dropAction: read('dropAction', APP_DEFAULTS.dropAction),
        keepRunningInTray: read('keepRunningInTray', APP_DEFAULTS.keepRunningInTray),
        notifications: read('notifications', APP_DEFAULTS.notifications),
        theme: read('theme', APP_DEFAULTS.theme),
      };
    },
    update(patch) {
      const { maxConcurrent, connections, adaptiveConnections, ...app } = patch;
      const enginePatch: Partial<EngineSettings> = {};
      if (maxConcurrent !== undefined) enginePatch.maxConcurrent = maxConcurrent;
      if (connections !== undefined) enginePatch.connections = connections;
      if (adaptiveConnections !== undefined) enginePatch.connectionTrialAbove = adaptiveConnections ? DEFAULT_SETTINGS.connectionTrialAbove : 0;
      store.transaction(() => {
        // The engine persists its own keys and reschedules when maxConcurrent grows.
        if (Object.keys(enginePatch).length) engine.updateSettings(enginePatch);
        for (const [key, value] of Object.entries(app)) {
          if (value !== undefined && key in KEY) store.settings.put(KEY[key as keyof typeof KEY], value);
        }
      });
      return service.get();
    },
    setDownloadDirectory(directory) {
      if (!path.isAbsolute(directory)) throw new Error('The download folder must be an absolute path.');
      store.settings.put(KEY.downloadDirectory, path.resolve(directory));
      return service.get();
    },
    downloadDirectory() {
      return read('downloadDirectory', deps.defaultDirectory);
    },
  };
  return service;
}
