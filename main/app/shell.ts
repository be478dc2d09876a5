// The router's ShellPort, made of Electron's shell and dialog. Open failures come back as typed
// errors the window can show ("no application is set to open .iso files").
import { FerryError } from '../engine/errors.js';
import type { ShellPort } from '../ipc/index.js';
import type { DialogPiece, ShellPiece } from './pieces.js';

export function createShellPort(pieces: { shell: ShellPiece; dialog: DialogPiece }): ShellPort {
  return {
    async openPath(p) {
      // Electron resolves with an error message instead of rejecting.
      const error = await pieces.shell.openPath(p);
      if (error) throw new FerryError('OPEN_FAILED', `The file could not be opened: ${error}`);
    },
    showItemInFolder(p) {
      pieces.shell.showItemInFolder(p);
    },
    async pickFolder() {
      const result = await pieces.dialog.showOpenDialog({ title: 'Choose a download folder', properties: ['openDirectory', 'createDirectory'] });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
