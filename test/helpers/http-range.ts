// Range and If-Range as RFC 9110 says a correct server handles them: the baseline that the
// fault server's faults then break on purpose.

export type RangeResult =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' };

/**
 * Parses a single `bytes=a-b`, `bytes=a-` or `bytes=-n`. A header that is absent, malformed or
 * asks for several ranges gets the full body: servers may ignore Range, and one range is all a
 * download manager sends.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'full' };
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // Suffix range: the last n bytes. "-0" can never be satisfied.
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return { kind: 'full' }; // invalid: ignore the header
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

/**
 * If-Range with strong comparison: a strong ETag must match exactly (a weak one never does), a
 * date must equal Last-Modified exactly. Anything else means "the file changed, send it all".
 */
export function ifRangeMatches(ifRange: string | undefined, etag: string | null, lastModified: string | null): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) {
    return etag !== null && !etag.startsWith('W/') && value === etag;
  }
  return lastModified !== null && value === lastModified;
}
