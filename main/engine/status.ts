// Legal status transitions, written once. Every status change in the engine goes through here,
// so an impossible move (completed → downloading) is a bug caught at the point it happens.
import type { DownloadStatus } from './model.js';

const TRANSITIONS: Record<DownloadStatus, readonly DownloadStatus[]> = {
  queued: ['probing', 'downloading', 'paused', 'canceled', 'failed'],
  probing: ['downloading', 'queued', 'paused', 'failed', 'canceled', 'completed'],
  downloading: ['probing', 'queued', 'paused', 'completed', 'failed', 'canceled'],
  paused: ['queued', 'canceled'],
  failed: ['queued', 'canceled'],
  completed: [],
  canceled: ['queued'],
};

export function canTransition(from: DownloadStatus, to: DownloadStatus): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export const ACTIVE_STATUSES: readonly DownloadStatus[] = ['probing', 'downloading'];
export const UNFINISHED_STATUSES: readonly DownloadStatus[] = ['queued', 'probing', 'downloading', 'paused', 'failed'];

export function isActive(status: DownloadStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}
