// What a drop or a paste holds, turned into the links Ferry may fetch. Pure and table-tested: the
// window passes in the strings it read (uri-list, plain text, dropped .txt/.url files) and gets back
// the http(s) URLs in order without duplicates, plus what it refused and why. Anything with another
// scheme (javascript:, file:, data:, ...) is refused here, before it could reach a dialog or main;
// main validates again, this is only so the user sees at once why nothing was added.

export const REFUSED_SCHEME = 'Only http and https links can be downloaded';
/** Main refuses longer URLs; refusing them here gives the same answer sooner. */
export const MAX_URL_LENGTH = 8192;

export interface DroppedFile {
  name: string;
  /** The file's text, or null when it is not a kind of file we read (only .txt and .url are). */
  text: string | null;
}

export interface DropInput {
  /** `text/uri-list`: one URL a line, `#` lines are comments (RFC 2483). */
  uriList?: string;
  /** `text/plain`: any text; URLs are picked out of it. */
  text?: string;
  files?: readonly DroppedFile[];
}

export interface Refusal {
  /** What was refused, shortened for display. */
  input: string;
  reason: string;
}

export interface ExtractedUrls {
  urls: string[];
  refused: Refusal[];
  /** Dropped files that are not link lists (an image, an archive). */
  ignoredFiles: string[];
}

// In free text only things that are plainly links count: `scheme://...`, or one of the schemes
// that have no `//` but are what hostile or confused drops carry. "Note: see below" is not a link.
const LINK_IN_TEXT =
  /(?:\b[a-z][a-z0-9+.-]*:\/\/|\b(?:javascript|vbscript|data|file|blob|about|mailto|magnet|view-source):)[^\s<>"'`]*/gi;

export function extractUrls(input: DropInput): ExtractedUrls {
  const out = new Collector();
  const fromUriList = input.uriList ? uriListLines(input.uriList) : [];
  for (const line of fromUriList) out.add(line);
  // Browsers put the same link in text/plain too; read the text only when the list had nothing.
  if (fromUriList.length === 0 && input.text) for (const link of linksInText(input.text)) out.add(link);
  for (const file of input.files ?? []) {
    const lower = file.name.toLowerCase();
    if (file.text === null || !(lower.endsWith('.txt') || lower.endsWith('.url'))) {
      out.ignoredFiles.push(file.name);
    } else if (lower.endsWith('.url')) {
      for (const link of internetShortcutUrls(file.text)) out.add(link);
    } else {
      for (const link of linksInText(file.text)) out.add(link);
    }
  }
  return { urls: out.urls, refused: out.refused, ignoredFiles: out.ignoredFiles };
}

/** RFC 2483: CRLF-separated, `#` starts a comment line; blank lines carry nothing. */
export function uriListLines(list: string): string[] {
  return list
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Windows `.url` files are INI: `[InternetShortcut]` then `URL=...`. */
export function internetShortcutUrls(text: string): string[] {
  const urls: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const match = /^\s*URL\s*=\s*(.+?)\s*$/i.exec(line);
    if (match) urls.push(match[1]!);
  }
  return urls;
}

export function linksInText(text: string): string[] {
  return [...text.matchAll(LINK_IN_TEXT)].map((m) => trimTrailingPunctuation(m[0]));
}

/** "see https://x.org/a." ends a sentence, not the URL; a `)` closes the URL only if it opened one. */
function trimTrailingPunctuation(link: string): string {
  let s = link;
  for (;;) {
    const last = s.at(-1);
    if (last === undefined) return s;
    if ('.,;:!?'.includes(last)) s = s.slice(0, -1);
    else if (last === ')' && count(s, '(') < count(s, ')')) s = s.slice(0, -1);
    else if (last === ']' && count(s, '[') < count(s, ']')) s = s.slice(0, -1);
    else return s;
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

export type Checked = { ok: true; url: string } | { ok: false; reason: string };

/** One candidate: an http(s) URL with a host, normalized by the URL parser, or a refusal. */
export function checkUrl(candidate: string): Checked {
  const trimmed = candidate.trim();
  if (trimmed.length > MAX_URL_LENGTH) return { ok: false, reason: `The link is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: 'Not a valid link' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: REFUSED_SCHEME };
  if (!url.hostname) return { ok: false, reason: 'The link has no host name' };
  return { ok: true, url: url.href };
}

class Collector {
  urls: string[] = [];
  refused: Refusal[] = [];
  ignoredFiles: string[] = [];
  private seen = new Set<string>();

  add(candidate: string): void {
    const checked = checkUrl(candidate);
    if (!checked.ok) {
      this.refused.push({ input: preview(candidate), reason: checked.reason });
    } else if (!this.seen.has(checked.url)) {
      this.seen.add(checked.url);
      this.urls.push(checked.url);
    }
  }
}

function preview(s: string): string {
  const flat = s.trim().replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}
