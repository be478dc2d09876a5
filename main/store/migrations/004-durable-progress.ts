// Version 4: progress that is known to be on stable storage, apart from progress that is only in
// the OS's page cache. Checkpoints claim page-cache bytes (they survive a killed process) and
// record the boot they were made in; after a power cut, a later boot trusts only `durable`.
import type { Migration } from './index.js';

export const durableProgress: Migration = {
  version: 4,
  up: `
    ALTER TABLE segments ADD COLUMN durable INTEGER;
    ALTER TABLE segments ADD COLUMN boot_id TEXT;
  `,
};
