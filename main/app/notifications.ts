// An OS notification when a download completes or fails (not when the user canceled it: they
// know). Clicking it brings the window up. Off when the user turned notifications off.
import type { Engine } from '../engine/engine-api.js';
import type { DownloadSnapshot } from '../engine/model.js';
import { maskCredentials } from '../engine/url-policy.js';
import type { NotificationLike, NotificationPiece } from './pieces.js';

export interface NotifyOptions {
  enabled(): boolean;
  onClick(download: DownloadSnapshot): void;
  icon?: string;
}

export function notificationFor(d: DownloadSnapshot): { title: string; body: string } | null {
  const name = d.fileName ?? maskCredentials(d.url);
  if (d.status === 'completed') return { title: 'Download complete', body: name };
  if (d.status === 'failed') return { title: 'Download failed', body: d.error ? `${name}: ${d.error.message}` : name };
  return null;
}

export function notifyOnFinish(Notification: NotificationPiece, engine: Engine, options: NotifyOptions): () => void {
  // Electron may garbage-collect a notification that nothing references, and its click with it.
  const live = new Set<NotificationLike>();
  return engine.on('finished', (d) => {
    if (!options.enabled() || !Notification.isSupported()) return;
    const text = notificationFor(d);
    if (!text) return;
    const n = new Notification({ ...text, ...(options.icon ? { icon: options.icon } : {}) });
    live.add(n);
    n.on('click', () => {
      live.delete(n);
      options.onClick(d);
    });
    n.show();
    // Forget it after a while even if never clicked, so the set cannot grow without bound.
    setTimeout(() => live.delete(n), 60_000).unref();
  });
}
