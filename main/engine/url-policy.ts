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
    throw new InvalidUrlError(`"${preview(trimmed)}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidUrlError(`Only http and https links can be downloaded, not ${url.protocol.replace(/:$/, '')}.`);
  }
  if (!url.hostname) throw new InvalidUrlError('The URL has no host name.');
  return url.href;
}

/** The URL with any password replaced, for showing and logging. */
export function maskCredentials(href: string): string {
  try {
    const url = new URL(href);
    if (!url.password && !url.username) return href;
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return href;
  }
}

function preview(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
