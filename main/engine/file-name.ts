// File names that come from servers and URLs are hostile until sanitized: no traversal, no
// separators, no control or bidi characters, no reserved Windows names, at most 255 bytes.
import path from 'node:path';
import { fileNameFromContentDisposition } from './content-disposition.js';

const MAX_BYTES = 255;
// Leave room for " (999)" and ".part" so a unique, partial name still fits the file system's limit.
const MAX_BASE_BYTES = MAX_BYTES - 16;
const RESERVED_WINDOWS = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// C0/C1 controls, bidi marks, overrides and isolates (U+061C, U+200E/F, U+202A-E, U+2066-9),
// zero-width and BOM characters.
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Lone surrogates: the file system would store U+FFFD, so the name on disk would differ from ours.
const LONE_SURROGATES = /\p{Cs}/gu;
// Characters Windows, macOS or common shells forbid or treat specially in names.
const FORBIDDEN_CHARS = /[<>:"/\\|?*]/g;

export const FALLBACK_NAME = 'download';

export function sanitizeFileName(input: string | null | undefined): string {
  return cleanName(input) || FALLBACK_NAME;
}

/** The sanitized name, or '' when nothing usable is left (so callers can try another source). */
function cleanName(input: string | null | undefined): string {
  if (!input) return '';
  let name = input.normalize('NFC');
  // Only the last path component counts: "../../etc/passwd" and "C:\\x\\evil.exe" lose their folders.
  name = name.split(/[/\\]/).filter((p) => p !== '').pop() ?? '';
  name = name.replace(LONE_SURROGATES, '').replace(UNSAFE_CHARS, '').replace(FORBIDDEN_CHARS, '_');
  name = name.replace(/\s+/g, ' ').trim();
  // Leading dots would hide the file (and "." / ".." are traversal); trailing dots and spaces are
  // dropped by Windows, which then points the name at something else.
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (name === '') return '';
  // Reserved names are checked after truncating, because truncation can turn "nul.....x.txt" into
  // "nul.txt"; the prefix keeps the start, so truncating again cannot undo it.
  name = truncateBytes(name, MAX_BASE_BYTES);
  if (isReservedWindowsName(name)) name = truncateBytes(`_${name}`, MAX_BASE_BYTES);
  return name;
}

/**
 * Windows maps a device name to the device whatever follows its first dot, and ignores spaces
 * before that dot: "NUL.txt", "nul.tar.gz" and "PRN .txt" all open a device, not a file.
 */
export function isReservedWindowsName(name: string): boolean {
  const base = (name.split('.')[0] ?? '').replace(/\s+$/, '');
  return RESERVED_WINDOWS.test(base);
}

/** Keeps the extension and cuts the stem so the UTF-8 name fits `maxBytes`, never mid-character. */
export function truncateBytes(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  const { stem, ext } = splitExtension(name);
  const extBytes = Buffer.byteLength(ext);
  // The extension stays only when it is short and still leaves the stem at least one byte.
  const keepExt = ext.length > 0 && extBytes <= 32 && extBytes < maxBytes ? ext : '';
  const cut = (text: string, budget: number): string => cutToBytes(text, budget).replace(/[.\s]+$/, '');
  if (keepExt) {
    const stemCut = cut(stem, maxBytes - extBytes);
    if (stemCut !== '') return stemCut + keepExt;
  }
  // The first character of the stem does not fit beside the extension: keep what fits of the name.
  const whole = cut(name, maxBytes);
  if (whole !== '') return whole;
  const fallback = FALLBACK_NAME + keepExt;
  return Buffer.byteLength(fallback) <= maxBytes ? fallback : cutToBytes(FALLBACK_NAME, maxBytes);
}

/** The longest prefix of whole code points that fits in `maxBytes` of UTF-8. */
function cutToBytes(text: string, maxBytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const bytes = Buffer.byteLength(ch);
    if (used + bytes > maxBytes) break;
    out += ch;
    used += bytes;
  }
  return out;
}

export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/** The last non-empty path segment of a URL, percent-decoded; null for `/` and the like. */
export function fileNameFromUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    const last = parsed.pathname.split('/').filter((p) => p !== '').pop();
    if (!last) return null;
    try {
      return decodeURIComponent(last);
    } catch {
      return last;
    }
  } catch {
    return null;
  }
}

/**
 * The name a download gets: Content-Disposition first, then the final URL, then the original, then
 * the host (as browsers name "https://example.com/"). A source whose name sanitizes to nothing
 * (`filename=".."`) is skipped rather than turning into "download" while the URL has a real name.
 */
export function chooseFileName(contentDisposition: string | undefined, finalUrl: string, originalUrl: string): string {
  const sources = [
    () => fileNameFromContentDisposition(contentDisposition),
    () => fileNameFromUrl(finalUrl),
    () => fileNameFromUrl(originalUrl),
    () => hostnameOf(finalUrl),
  ];
  for (const source of sources) {
    const name = cleanName(source());
    if (name !== '') return name;
  }
  return FALLBACK_NAME;
}

function hostnameOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** `name (n).ext` for n = 1, 2, ...: the name Ferry uses instead of overwriting an existing file. */
export function numberedName(name: string, n: number): string {
  if (n === 0) return name;
  const { stem, ext } = splitExtension(name);
  // Keep multi-part archive extensions together: "a.tar.gz" → "a (1).tar.gz".
  const multi = /^(.*?)(\.tar)$/i.exec(stem);
  if (multi && ext) return `${multi[1]} (${n})${multi[2]}${ext}`;
  return `${stem} (${n})${ext}`;
}

export const PART_SUFFIX = '.part';

export function partPath(directory: string, fileName: string): string {
  return path.join(directory, fileName + PART_SUFFIX);
}
