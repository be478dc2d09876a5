// The two requests a download makes: the whole file (the probe, or one stream when ranges do
// not work) and one byte range of it. Each response is checked before any byte is used.
import { pipeline } from 'node:stream';
import { FileChangedError } from './errors.js';
import type { HttpClient, OpenResponse } from './http-client.js';
import type { Download } from './model.js';
import { bodyLength, checkNotAnErrorPage, checkRangeResponse, ifRangeValidator, statusError } from './response-check.js';

/**
 * A whole-file body the server content-encoded although identity was asked: the bytes the user
 * wants are the decoded ones (as a browser saves them), so decode on the way to the disk. Range
 * responses never get here: an encoded range is refused as ranges that misbehave.
 */
export function decodedBody(res: OpenResponse): OpenResponse {
  const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  // Loaded only for the rare server that encodes anyway: not on every start.
  const zlib = process.getBuiltinModule('node:zlib');
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : null;
  if (!decoder) return res;
  const body = pipeline(res.body, decoder, () => {});
  return { ...res, body };
}

/** Statuses with which an expired redirect target (a signed CDN link) answers. */
export const EXPIRED_LINK_STATUSES = [401, 403, 404, 410];

/** GET without a Range: a 200 or a typed error. `expectedSize` guards a restart of one stream. */
export async function openWholeFile(
  http: HttpClient,
  url: string,
  signal: AbortSignal,
  expected: { size: number | null; contentType: string | null } = { size: null, contentType: null },
): Promise<OpenResponse> {
  const res = await http.open({ url, signal });
  if (res.status !== 200) {
    res.body.destroy();
    throw statusError(res.status, res.headers);
  }
  try {
    checkNotAnErrorPage(res.headers, expected.contentType);
  } catch (error) {
    res.body.destroy();
    throw error;
  }
  const expectedSize = expected.size;
  if (expectedSize === null) return decodedBody(res);
  if (expectedSize !== null && bodyLength(res.headers) !== expectedSize) {
    res.body.destroy();
    throw new FileChangedError('The file on the server changed size since the download started.');
  }
  return res;
}

/**
 * GET `bytes=start-end` of the file `d` describes, with If-Range so a changed file answers 200
 * instead of splicing. Ranges go to the final URL (no redirect per request); if that link has
 * expired, the original URL is asked once more.
 */
export async function openRange(
  http: HttpClient,
  d: Pick<Download, 'url' | 'finalUrl' | 'size' | 'etag' | 'lastModified' | 'contentType'>,
  start: number,
  end: number,
  signal: AbortSignal,
): Promise<OpenResponse> {
  const ifRange = ifRangeValidator(d.etag, d.lastModified);
  let res = await http.open({ url: d.finalUrl ?? d.url, range: { start, end }, ifRange, signal });
  if (d.finalUrl && d.finalUrl !== d.url && EXPIRED_LINK_STATUSES.includes(res.status)) {
    res.body.destroy();
    res = await http.open({ url: d.url, range: { start, end }, ifRange, signal });
  }
  try {
    checkRangeResponse(res.status, res.headers, {
      start,
      end,
      size: d.size!,
      etag: d.etag,
      lastModified: d.lastModified,
      contentType: d.contentType,
    });
  } catch (error) {
    res.body.destroy();
    throw error;
  }
  return res;
}
