// Electron's security checklist, applied once for every web contents the app ever creates: a strict
// Content-Security-Policy, no navigation away from the app, no new windows, no webviews, and no
// permission (camera, geolocation, ...) granted to the page. Ferry's page needs none of them.
import type { PreventableEvent, SessionLike, WebContentsLike } from './pieces.js';

/**
 * Scripts only from the app itself; no eval, no inline script, no remote anything. The dev server
 * (Vite) needs its inline preamble and a websocket for hot reload, so development relaxes exactly that.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : null;
  const ws = dev ? `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}` : '';
  const directives = [
    "default-src 'none'",
    dev ? `script-src 'self' 'unsafe-inline' ${dev.origin}` : "script-src 'self'",
    // React sets style properties through the CSSOM, which CSP allows; Vite injects <style> in dev.
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    dev ? `connect-src 'self' ${dev.origin} ${ws}` : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
  ];
  return directives.join('; ');
}

/** Adds the CSP header to every response the app's session receives (the dev server's included). */
export function applyContentSecurityPolicy(session: SessionLike, csp: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

export function denyAllPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * The window may only ever show the app: navigations and redirects to anything else are stopped
 * (a dropped link, a compromised script), `window.open` is denied, webviews never attach.
 */
export function hardenWebContents(contents: WebContentsLike, isAppUrl: (url: string) => boolean): void {
  const stay = (event: PreventableEvent, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface WebContentsCreatedSource {
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
}

/** Hardens every web contents as it is created, so none can slip through (devtools excepted by Electron). */
export function hardenAllWebContents(app: WebContentsCreatedSource, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));
}
