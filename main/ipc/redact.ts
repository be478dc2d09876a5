// What the renderer may see of a download: everything but a password in its URLs. The renderer
// acts by id, so it never needs the credentials; masking here covers every answer and event.
import type { DownloadSnapshot } from '../engine/model.js';
import type { ProgressBatch } from '../engine/engine-api.js';
import { maskCredentials } from '../engine/url-policy.js';

export function redactSnapshot(s: DownloadSnapshot): DownloadSnapshot {
  const url = maskCredentials(s.url);
  const finalUrl = s.finalUrl === null ? null : maskCredentials(s.finalUrl);
  return url === s.url && finalUrl === s.finalUrl ? s : { ...s, url, finalUrl };
}

export function redactBatch(batch: ProgressBatch): ProgressBatch {
  return { updated: batch.updated.map(redactSnapshot), removed: batch.removed };
}
