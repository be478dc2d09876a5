// Reads what the browser hands us on drop or paste into the plain strings extractUrls takes.
// Files are read with FileReader (the sandboxed renderer has no file system), and only small
// .txt/.url files: a 2 GB video dropped by mistake is named as ignored, never read into memory.
import type { DropInput, DroppedFile } from './extract-urls.js';

/** A list of links is small; anything bigger is not one. */
export const MAX_LIST_FILE_BYTES = 1024 * 1024;

/** Our own row drags carry this type; the window's drop handler leaves them to the list. */
export const ROW_DRAG_TYPE = 'application/x-ferry-row';

export function isLinkListFile(name: string, size: number): boolean {
  const lower = name.toLowerCase();
  return (lower.endsWith('.txt') || lower.endsWith('.url')) && size <= MAX_LIST_FILE_BYTES;
}

export function readFileText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsText(file);
  });
}

/**
 * A DataTransfer is readable only while its event is being dispatched, so the strings and the File
 * objects are taken synchronously here; only reading the files' contents happens afterwards.
 */
export function readTransfer(data: DataTransfer): Promise<DropInput> {
  const uriList = data.getData('text/uri-list');
  const text = data.getData('text/plain');
  const files = Array.from(data.files);
  return Promise.all(
    files.map(
      async (file): Promise<DroppedFile> => ({
        name: file.name,
        text: isLinkListFile(file.name, file.size) ? await readFileText(file).catch(() => null) : null,
      }),
    ),
  ).then((dropped) => ({ uriList, text, files: dropped }));
}

/** Whether a drag could be something we accept: links, text or files, and not one of our rows. */
export function carriesLinks(data: DataTransfer | null): boolean {
  if (!data) return false;
  const types = Array.from(data.types);
  if (types.includes(ROW_DRAG_TYPE)) return false;
  return types.includes('text/uri-list') || types.includes('text/plain') || types.includes('Files');
}
