// Adding downloads: each URL is checked on its own, so one bad line in a pasted list refuses that
// line, not the rest. The folder comes from main (the settings or a picked folder id), never from
// the renderer as a path.
import fs from 'node:fs/promises';
import { toFerryError } from '../../engine/errors.js';
import { maskCredentials, validateUrl } from '../../engine/url-policy.js';
import type { AddResponse } from '../../../preload/contract.js';
import { DEFAULT_FOLDER_ID } from '../folders.js';
import { defineHandler } from '../handler.js';
import { addRequest } from '../schemas.js';
import { redactSnapshot } from '../redact.js';

export const add = defineHandler<'add'>({
  schema: addRequest,
  async run(req, { engine, folders }) {
    const directory = folders.resolve(req.folderId ?? DEFAULT_FOLDER_ID);
    // The OS downloads folder may not exist yet on a fresh account; a picked one exists already.
    await fs.mkdir(directory, { recursive: true });
    const response: AddResponse = { added: [], rejected: [] };
    for (const url of req.urls) {
      try {
        const href = validateUrl(url);
        response.added.push(
          redactSnapshot(
            engine.add({ url: href, directory, connections: req.connections, fileName: req.fileName, checksum: req.checksum, paused: req.paused }),
          ),
        );
      } catch (error) {
        response.rejected.push({ url: maskCredentials(url), error: toFerryError(error).toInfo() });
      }
    }
    return response;
  },
});
