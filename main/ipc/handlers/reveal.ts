// Open file and Show in folder, by download id: the path is the engine's record of where it saved
// the file, so the renderer can only ever open what Ferry itself downloaded.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DownloadSnapshot } from '../../engine/model.js';
import { FerryError, InvalidStateError } from '../../engine/errors.js';
import { partPath } from '../../engine/file-name.js';
import { defineHandler } from '../handler.js';
import { idRequest } from '../schemas.js';

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

function finalPath(d: DownloadSnapshot): string | null {
  return d.status === 'completed' && d.fileName ? path.join(d.directory, d.fileName) : null;
}

export const openFile = defineHandler<'openFile'>({
  schema: idRequest,
  async run({ id }, { engine, shell }) {
    const d = engine.get(id);
    const file = finalPath(d);
    if (!file) throw new InvalidStateError('Only a completed download can be opened.');
    if (!(await exists(file))) throw new FerryError('FILE_MISSING', `${d.fileName} is no longer in ${d.directory}.`);
    await shell.openPath(file);
  },
});

export const showInFolder = defineHandler<'showInFolder'>({
  schema: idRequest,
  async run({ id }, { engine, shell }) {
    const d = engine.get(id);
    // The finished file, else the partial one, else just the folder (nothing written yet).
    const candidates = [finalPath(d), d.fileName ? partPath(d.directory, d.fileName) : null];
    for (const file of candidates) {
      if (file && (await exists(file))) return shell.showItemInFolder(file);
    }
    if (!(await exists(d.directory))) throw new FerryError('FOLDER_MISSING', `The folder ${d.directory} no longer exists.`);
    await shell.openPath(d.directory);
  },
});
