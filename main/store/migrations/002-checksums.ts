// Version 2: the checksum a download must match (given by the user or sent by the server).
import type { Migration } from './index.js';

export const checksums: Migration = {
  version: 2,
  up: `
    ALTER TABLE downloads ADD COLUMN checksum_algorithm TEXT;
    ALTER TABLE downloads ADD COLUMN checksum_hex TEXT;
    ALTER TABLE downloads ADD COLUMN checksum_source TEXT;
  `,
};
