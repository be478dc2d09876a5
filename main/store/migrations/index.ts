// Migrations, one per file, applied in order. Each runs in a transaction that also sets
// `user_version`, so a crash mid-migration leaves the database at the previous version.
import { initial } from './001-initial.js';
import { checksums } from './002-checksums.js';
import { contentType } from './003-content-type.js';
import { durableProgress } from './004-durable-progress.js';
import { noStatusIndex } from './005-no-status-index.js';

export interface Migration {
  version: number;
  up: string;
}

export const MIGRATIONS: readonly Migration[] = [initial, checksums, contentType, durableProgress, noStatusIndex];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
