// Folders the renderer may name, by id. The renderer never sends a path: main hands out an id
// when the user picks a folder in the OS dialog (or for the default folder) and resolves it here.
// Kept in memory: a picked folder only needs to outlive the Add dialog that asked for it.
import { randomUUID } from 'node:crypto';
import { FerryError } from '../engine/errors.js';
import type { FolderChoice } from '../../preload/contract.js';

/** Always means "the download folder in the settings", whatever it is at the time of the add. */
export const DEFAULT_FOLDER_ID = 'default';

export interface FolderRegistry {
  /** Remembers a folder main chose (never one from the renderer) and returns its id. */
  remember(directory: string): FolderChoice;
  /** The folder's path, or UNKNOWN_FOLDER. */
  resolve(folderId: string): string;
}

export function createFolderRegistry(defaultDirectory: () => string): FolderRegistry {
  const byId = new Map<string, string>();
  const byPath = new Map<string, string>();
  return {
    remember(directory) {
      let folderId = byPath.get(directory);
      if (!folderId) {
        folderId = randomUUID();
        byId.set(folderId, directory);
        byPath.set(directory, folderId);
      }
      return { folderId, path: directory };
    },
    resolve(folderId) {
      if (folderId === DEFAULT_FOLDER_ID) return defaultDirectory();
      const directory = byId.get(folderId);
      if (!directory) throw new FerryError('UNKNOWN_FOLDER', 'That folder is no longer known; pick it again.');
      return directory;
    },
  };
}
