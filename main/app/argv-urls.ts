// URLs handed to Ferry on the command line (`ferry-app https://…`, a browser's "open with", a
// second launch): everything in argv that is an http(s) URL Ferry would fetch, nothing else.
import { validateUrl } from '../engine/url-policy.js';

const MAX_URLS = 1000;

export function urlsFromArgv(argv: readonly string[]): string[] {
  const urls: string[] = [];
  for (const arg of argv) {
    if (urls.length >= MAX_URLS) break;
    // Flags, the executable and file paths are skipped without parsing.
    if (!/^https?:\/\//i.test(arg)) continue;
    try {
      urls.push(validateUrl(arg));
    } catch {
      // Not a URL we would fetch; the window never sees it.
    }
  }
  return urls;
}
