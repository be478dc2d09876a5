// Electron's security checklist, checked on the fake's recorded hooks: CSP on every response, no
// navigation away, no window.open, no webviews, no permissions.
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSenderCheck } from '../../main/ipc/index.js';
import {
  applyContentSecurityPolicy,
  contentSecurityPolicy,
  denyAllPermissions,
  hardenAllWebContents,
  hardenWebContents,
} from '../../main/app/security.js';
import { FakeApp, FakeSession, FakeWebContents, preventable } from './fake-electron.js';

const rendererFile = '/opt/Ferry/resources/app.asar/dist/renderer/index.html';
const appUrl = pathToFileURL(rendererFile).href;
const check = createSenderCheck({ rendererFile });
const isAppUrl = (url: string) => check({ id: 0, url });

describe('content security policy', () => {
  it('allows only the app\'s own scripts in production: no inline, no eval, no remote', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('relaxes exactly what a dev server needs', () => {
    const csp = contentSecurityPolicy('http://localhost:5173');
    expect(csp).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173");
    expect(csp).toContain('ws://localhost:5173');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('is added to every response header set, keeping the others', () => {
    const session = new FakeSession();
    applyContentSecurityPolicy(session, contentSecurityPolicy());
    const headers = session.headersFor({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src *"] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy()] });
  });

  it('denies every permission request and check', () => {
    const session = new FakeSession();
    denyAllPermissions(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | null = null;
      session.permissionHandler!(null, permission, (g) => void (granted = g));
      expect(granted).toBe(false);
      expect(session.permissionCheck!(null, permission)).toBe(false);
    }
  });
});

describe('web contents hardening', () => {
  it.each(['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'http://localhost:5173/', `${appUrl}.evil`, 'about:blank'])(
    'blocks navigation and redirects to %s',
    (url) => {
      const contents = new FakeWebContents();
      hardenWebContents(contents, isAppUrl);
      expect(contents.navigate(url)).toBe(false);
      expect(contents.navigate(url, 'will-redirect')).toBe(false);
    },
  );

  it('lets the app reload its own page', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents, isAppUrl);
    expect(contents.navigate(`${appUrl}#/settings`)).toBe(true);
  });

  it('denies window.open and refuses to attach webviews', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents, isAppUrl);
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: appUrl })).toEqual({ action: 'deny' });
    const e = preventable();
    contents.emit('will-attach-webview', e);
    expect(e.prevented).toBe(true);
  });

  it('hardens every web contents the app creates', () => {
    const app = new FakeApp({ userData: '/u', downloads: '/d', appPath: '/a' });
    hardenAllWebContents(app, isAppUrl);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.navigate('https://evil.example/')).toBe(false);
    expect(contents.openHandler).not.toBeNull();
  });
});
