// Version 4: an index for "is this name taken in this folder" (asked for every new download),
// and progress that is known to be on stable storage, apart from progress that is only in
// the OS's page cache. Checkpoints claim page-cache bytes (they survive a killed process) and
// record the boot they were made in; after a power cut, a later boot trusts only `durable`.
import type { Migration } from './index.js';

export const durableProgress: Migration = {
  version: 4,
  up: `
    ALTER TABLE segments ADD COLUMN durable INTEGER;
    ALTER TABLE segments ADD COLUMN boot_id TEXT;
    CREATE INDEX downloads_name ON downloads(directory, file_name);
  `,
};
