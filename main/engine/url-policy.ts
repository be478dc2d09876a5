// Which URLs Ferry fetches: http and https only, with a host, of sane length. Everything else
// (javascript:, file:, data:, ftp:, garbage) is refused with a clear, typed error.
import { InvalidUrlError } from './errors.js';

export const MAX_URL_LENGTH = 8192;

export function validateUrl(input: unknown): string {
  if (typeof input !== 'string') throw new InvalidUrlError('The URL must be text.');
  const trimmed = input.trim();
  if (trimmed === '') throw new InvalidUrlError('The URL is empty.');
  if (trimmed.length > MAX_URL_LENGTH) throw new InvalidUrlError(`The URL is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InvalidUrlError(`"${preview(maskCredentials(trimmed))}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidUrlError(`Only http and https links can be downloaded, not ${url.protocol.replace(/:$/, '')}.`);
  }
  if (!url.hostname) throw new InvalidUrlError('The URL has no host name.');
  // Checked again after normalizing: percent-encoding can make a short input a very long URL.
  if (url.href.length > MAX_URL_LENGTH) throw new InvalidUrlError(`The URL is longer than ${MAX_URL_LENGTH} characters.`);
  return url.href;
}

/** The URL with any password replaced, for showing and logging; also for text that is no valid URL. */
export function maskCredentials(href: string): string {
  try {
    const url = new URL(href);
    if (!url.password) return href;
    url.password = '***';
    return url.href;
  } catch {
    // Not parseable (a bad port, say), but a "scheme://user:password@" part may still be there.
    return href.replace(/(\/\/[^/?#@:\s]*):[^/?#@\s]*@/, '$1:***@');
  }
}

function preview(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
