// Version 1: downloads, their segments, and settings.
import type { Migration } from './index.js';

export const initial: Migration = {
  version: 1,
  up: `
    CREATE TABLE downloads (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      url             TEXT    NOT NULL,
      final_url       TEXT,
      directory       TEXT    NOT NULL,
      file_name       TEXT,
      file_name_fixed INTEGER NOT NULL DEFAULT 0,
      overwrite       INTEGER NOT NULL DEFAULT 0,
      size            INTEGER,
      etag            TEXT,
      last_modified   TEXT,
      resumable       INTEGER NOT NULL DEFAULT 0,
      status          TEXT    NOT NULL,
      position        INTEGER NOT NULL,
      connections     INTEGER NOT NULL,
      error_code      TEXT,
      error_message   TEXT,
      restart_reason  TEXT,
      sha256          TEXT,
      owner_pid       INTEGER,
      control         TEXT,
      created_at      INTEGER NOT NULL,
      updated_at      INTEGER NOT NULL,
      completed_at    INTEGER
    );
    CREATE INDEX downloads_position ON downloads(position);
    CREATE INDEX downloads_status ON downloads(status);

    -- A download's segments partition [0, size). end is inclusive; NULL while the size is unknown.
    CREATE TABLE segments (
      download_id INTEGER NOT NULL REFERENCES downloads(id) ON DELETE CASCADE,
      start       INTEGER NOT NULL,
      end         INTEGER,
      written     INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (download_id, start)
    ) WITHOUT ROWID;

    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
