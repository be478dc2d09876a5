// Status words for people. The engine's `probing` is an implementation detail: to the user the
// download is "Starting" (asking the server for the size and name).
import type { ConnectionTrial, DownloadSnapshot, DownloadStatus } from '../../main/engine/model.js';

export const STATUS_LABEL: Record<DownloadStatus, string> = {
  queued: 'Queued',
  probing: 'Starting',
  downloading: 'Downloading',
  paused: 'Paused',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
};

export function statusLabel(status: DownloadStatus): string {
  return STATUS_LABEL[status];
}

/** The name to show: the file name once known, else the last part of the URL path, else the host. */
export function displayName(d: Pick<DownloadSnapshot, 'fileName' | 'url'>): string {
  if (d.fileName) return d.fileName;
  try {
    const url = new URL(d.url);
    const last = url.pathname.split('/').filter(Boolean).pop();
    if (last) {
      try {
        return decodeURIComponent(last);
      } catch {
        return last;
      }
    }
    return url.host;
  } catch {
    return d.url;
  }
}

/** Statuses the user can pause, resume, retry, cancel: one place so buttons and keys agree. */
export const can = {
  pause: (s: DownloadStatus) => s === 'queued' || s === 'probing' || s === 'downloading',
  resume: (s: DownloadStatus) => s === 'paused',
  retry: (s: DownloadStatus) => s === 'failed' || s === 'canceled',
  cancel: (s: DownloadStatus) => s !== 'completed' && s !== 'canceled',
  open: (s: DownloadStatus) => s === 'completed',
};

/**
 * Why a running download uses fewer connections than it may, when that is on purpose: "2 of 16"
 * alone would look like a fault.
 */
export function connectionTrialNote(trial: ConnectionTrial): string {
  if (trial === 'fewer') return 'two are as fast as all';
  return trial === 'trying' ? 'trying two' : '';
}
