// Version 3: the Content-Type the first probe saw, so an HTML page that later stands in for the
// file (an expired session, a login wall) is recognized even after a restart of the app.
import type { Migration } from './index.js';

export const contentType: Migration = {
  version: 3,
  up: `ALTER TABLE downloads ADD COLUMN content_type TEXT;`,
};
