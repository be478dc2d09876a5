// Which frames may call main: only the app's own renderer, loaded from its file in the package or
// from the dev server. A page that somehow got into a window (a navigation we failed to block, an
// injected iframe) is refused before any handler runs.
import { pathToFileURL } from 'node:url';

export interface Sender {
  /** webContents id, for logs. */
  id: number;
  /** The URL of the frame that sent the message. */
  url: string;
}

export type SenderCheck = (sender: Sender) => boolean;

export interface TrustedOrigins {
  /** Absolute path of the packaged renderer's index.html. */
  rendererFile?: string;
  /** e.g. `http://localhost:5173`, only in development. */
  devServerUrl?: string;
}

export function createSenderCheck(origins: TrustedOrigins): SenderCheck {
  const fileHref = origins.rendererFile ? pathToFileURL(origins.rendererFile).href : null;
  const devOrigin = origins.devServerUrl ? new URL(origins.devServerUrl).origin : null;
  return (sender) => {
    let url: URL;
    try {
      url = new URL(sender.url);
    } catch {
      return false;
    }
    if (fileHref && url.protocol === 'file:') {
      // The hash and query are the renderer's own business; the file must be exactly ours.
      return `${url.protocol}//${url.host}${url.pathname}` === fileHref;
    }
    return devOrigin !== null && url.origin === devOrigin && url.origin !== 'null';
  };
}

/** Used when the host injects no check: the packaged renderer is a file:// page, nothing else is. */
export const fileSenderOnly: SenderCheck = (sender) => {
  try {
    return new URL(sender.url).protocol === 'file:';
  } catch {
    return false;
  }
};
