// The two requests a download makes: the whole file (the probe, or one stream when ranges do
// not work) and one byte range of it. Each response is checked before any byte is used.
import { FileChangedError } from './errors.js';
import type { HttpClient, OpenResponse } from './http-client.js';
import type { Download } from './model.js';
import { bodyLength, checkRangeResponse, ifRangeValidator, statusError } from './response-check.js';

/** Statuses with which an expired redirect target (a signed CDN link) answers. */
const EXPIRED_LINK_STATUSES = [401, 403, 404, 410];

/** GET without a Range: a 200 or a typed error. `expectedSize` guards a restart of one stream. */
export async function openWholeFile(
  http: HttpClient,
  url: string,
  signal: AbortSignal,
  expectedSize: number | null = null,
): Promise<OpenResponse> {
  const res = await http.open({ url, signal });
  if (res.status !== 200) {
    res.body.destroy();
    throw statusError(res.status, res.headers);
  }
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
  d: Pick<Download, 'url' | 'finalUrl' | 'size' | 'etag' | 'lastModified'>,
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
    checkRangeResponse(res.status, res.headers, { start, end, size: d.size!, etag: d.etag, lastModified: d.lastModified });
  } catch (error) {
    res.body.destroy();
    throw error;
  }
  return res;
}
