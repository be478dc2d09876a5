// Settings as JSON values by key, merged over the defaults, so a new setting needs no migration.
import { DEFAULT_SETTINGS, type EngineSettings } from '../engine/model.js';
import type { Db } from './database.js';

export function createSettingsRepo(db: Db) {
  const all = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const one = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const put = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    /** Stored values over the defaults; unknown keys and values of the wrong type are ignored. */
    load(): EngineSettings {
      const settings: EngineSettings = { ...DEFAULT_SETTINGS };
      for (const { key, value } of all.all()) {
        if (!(key in DEFAULT_SETTINGS)) continue;
        try {
          const parsed: unknown = JSON.parse(value);
          const k = key as keyof EngineSettings;
          if (typeof parsed === typeof DEFAULT_SETTINGS[k]) (settings as unknown as Record<string, unknown>)[k] = parsed;
        } catch {
          // a damaged value falls back to the default
        }
      }
      return settings;
    },
    save(patch: Partial<EngineSettings>): void {
      db.transaction(() => {
        for (const [key, value] of Object.entries(patch)) put.run(key, JSON.stringify(value));
      })();
    },
    /**
     * A raw JSON value by key, for settings outside the engine's (the app's theme, drop action,
     * ...); undefined when absent or unreadable. Callers validate the shape themselves.
     */
    get(key: string): unknown {
      const row = one.get(key);
      if (!row) return undefined;
      try {
        return JSON.parse(row.value) as unknown;
      } catch {
        return undefined;
      }
    },
    put(key: string, value: unknown): void {
      put.run(key, JSON.stringify(value));
    },
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
