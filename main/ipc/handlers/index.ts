// Every contract method's handler, in one map the compiler checks for completeness.
import type { Handlers } from '../handler.js';
import { add } from './add.js';
import { cancel, move, pause, pauseAll, remove, resume, resumeAll, retry } from './control.js';
import { details, list } from './list.js';
import { openFile, showInFolder } from './reveal.js';
import { defaultFolder, getSettings, pickDownloadFolder, pickFolder, updateSettings } from './settings.js';

export const HANDLERS: Handlers = {
  list,
  details,
  add,
  pause,
  resume,
  cancel,
  remove,
  retry,
  move,
  pauseAll,
  resumeAll,
  openFile,
  showInFolder,
  getSettings,
  updateSettings,
  pickDownloadFolder,
  pickFolder,
  defaultFolder,
};
