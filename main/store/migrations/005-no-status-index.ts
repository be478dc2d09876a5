// Version 5: no index on `status`. No query looks a download up by its status (the queue is
// scheduled from memory), yet every status change rewrote the index: one more page in the
// commit of each start, probe and finish.
import type { Migration } from './index.js';

export const noStatusIndex: Migration = {
  version: 5,
  up: `
    DROP INDEX IF EXISTS downloads_status;
  `,
};
