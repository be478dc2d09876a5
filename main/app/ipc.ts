// Electron's ipcMain in front of the router: one `handle` per contract channel, each passing the
// sending frame so the router can refuse anything that is not the app's own page. The raw IPC
// event (and its access to the sender's webContents) stops here.
import { METHOD_CHANNELS, METHODS } from '../../preload/channels.js';
import type { Router, Sender } from '../ipc/index.js';
import type { IpcInvokeEventLike, IpcMainPiece, WebContentsLike } from './pieces.js';

export function senderOf(event: IpcInvokeEventLike): Sender {
  // A frame that navigated away or was destroyed has no URL: treated as untrusted.
  return { id: event.sender?.id ?? -1, url: event.senderFrame?.url ?? '' };
}

/** Registers every channel; returns a function that unregisters them (for tests and shutdown). */
export function registerIpc(ipcMain: IpcMainPiece, router: Router): () => void {
  const channels = METHODS.map((m) => METHOD_CHANNELS[m]);
  for (const channel of channels) {
    // Only the first argument is the request: the preload sends exactly one.
    ipcMain.handle(channel, (event, payload) => router.handle(channel, payload, senderOf(event)));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Sends router events (batched progress, URLs to add) to the window while it exists. */
export function forwardEvents(router: Router, target: () => WebContentsLike | null): () => void {
  return router.subscribe((channel, payload) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(channel, payload);
  });
}
