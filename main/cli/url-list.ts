// Reads `-i FILE`: one URL per line; blank lines and `#` comments are skipped (as aria2 does).
import fs from 'node:fs';
import { FerryError } from '../engine/errors.js';

export function readUrlList(file: string): string[] {
  let text: string;
  try {
    text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new FerryError('INPUT_FILE_UNREADABLE', `Could not read the URL list ${file}: ${(error as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
