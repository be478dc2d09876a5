// Extracts the file name from a Content-Disposition header (RFC 6266), preferring the RFC 8187
// `filename*=charset'lang'pct-encoded` form over plain `filename=`, as browsers do. The result is
// untrusted: callers pass it through sanitizeFileName.

export function fileNameFromContentDisposition(header: string | undefined | null): string | null {
  if (!header) return null;
  const params = parseParams(header);
  const extended = params.get('filename*');
  if (extended !== undefined) {
    const decoded = decodeExtValue(extended);
    if (decoded) return decoded;
  }
  const plain = params.get('filename');
  if (plain !== undefined && plain !== '') return decodeLoosePlain(plain);
  return null;
}

/** Splits `type; a=b; c="d;e"` into lower-cased parameter names and raw (unquoted) values. */
function parseParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const firstSemi = header.indexOf(';');
  // Some servers omit the type ("filename=x.zip"); browsers then read the parameters anyway.
  const typeMissing = header.slice(0, firstSemi < 0 ? header.length : firstSemi).includes('=');
  let i = typeMissing ? -1 : firstSemi;
  if (i < 0 && !typeMissing) return params;
  while (i < header.length) {
    i++; // past ';'
    while (header[i] === ' ' || header[i] === '\t') i++;
    const eq = header.indexOf('=', i);
    if (eq < 0) break;
    const nextSemi = header.indexOf(';', i);
    if (nextSemi >= 0 && nextSemi < eq) {
      // A parameter without a value ("attachment; foo; filename=x"): skip it, or its name would
      // swallow the next parameter's.
      i = nextSemi;
      continue;
    }
    const name = header.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (header[i] === ' ' || header[i] === '\t') i++;
    let value = '';
    if (header[i] === '"') {
      i++;
      while (i < header.length && header[i] !== '"') {
        if (header[i] === '\\' && i + 1 < header.length) i++;
        value += header[i];
        i++;
      }
      i++; // closing quote
      const semi = header.indexOf(';', i);
      i = semi < 0 ? header.length : semi;
    } else {
      const semi = header.indexOf(';', i);
      const end = semi < 0 ? header.length : semi;
      value = header.slice(i, end).trim();
      i = end;
    }
    if (name && !params.has(name)) params.set(name, value);
  }
  return params;
}

function decodeExtValue(value: string): string | null {
  const match = /^([\w!#$%&+^`{}~-]*)'[\w-]*'(.*)$/.exec(value.trim());
  if (!match) return null;
  const charset = (match[1] ?? '').toLowerCase();
  const encoded = match[2] ?? '';
  try {
    if (charset === 'utf-8' || charset === '') return decodeURIComponent(encoded);
    if (charset === 'iso-8859-1') {
      return encoded.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
  } catch {
    return null;
  }
  return null;
}

/**
 * Many servers put raw UTF-8 or percent-encoding in plain `filename=`. Header values arrive as
 * latin1 strings in Node, so re-read them as UTF-8 when that yields valid text.
 */
function decodeLoosePlain(value: string): string {
  let text = value;
  if (/[\u0080-\u00ff]/.test(text) && !/[^\u0000-\u00ff]/.test(text)) {
    const utf8 = Buffer.from(text, 'latin1').toString('utf8');
    if (!utf8.includes('\ufffd')) text = utf8;
  }
  if (/%[0-9a-f]{2}/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // keep as is
    }
  }
  return text;
}
