// The drop parser, as a table: what a browser, a file manager or a hostile page may hand the window,
// and which links come out. Every refused row must stay refused; main validates again anyway.
import { describe, expect, it } from 'vitest';
import { extractUrls, internetShortcutUrls, REFUSED_SCHEME, uriListLines, type DropInput } from '../../renderer/drop/extract-urls.js';

interface Row {
  name: string;
  input: DropInput;
  urls: string[];
  /** Reasons of the refusals, in order. */
  refused?: string[];
  ignoredFiles?: string[];
}

const long = `https://example.com/${'a'.repeat(9000)}`;

const TABLE: Row[] = [
  { name: 'a single uri-list link', input: { uriList: 'https://example.com/file.zip' }, urls: ['https://example.com/file.zip'] },
  {
    name: 'uri-list with CRLF, comments and blank lines',
    input: { uriList: '# dragged from Firefox\r\nhttps://a.example/1.iso\r\n\r\n#https://commented.example/\r\nhttp://b.example/2.iso\r\n' },
    urls: ['https://a.example/1.iso', 'http://b.example/2.iso'],
  },
  {
    name: 'uri-list wins over the same link in text/plain',
    input: { uriList: 'https://example.com/a', text: 'https://example.com/a https://other.example/b' },
    urls: ['https://example.com/a'],
  },
  { name: 'plain text with one link', input: { text: 'https://example.com/x.tar.gz' }, urls: ['https://example.com/x.tar.gz'] },
  {
    name: 'links picked out of prose, sentence punctuation trimmed',
    input: { text: 'Get it from https://example.com/a.zip, or the mirror (http://mirror.example/a.zip).' },
    urls: ['https://example.com/a.zip', 'http://mirror.example/a.zip'],
  },
  {
    name: 'parentheses that belong to the URL stay',
    input: { text: 'see https://en.wikipedia.org/wiki/Ferry_(boat) now' },
    urls: ['https://en.wikipedia.org/wiki/Ferry_(boat)'],
  },
  { name: 'angle-bracketed link', input: { text: '<https://example.com/file>' }, urls: ['https://example.com/file'] },
  { name: 'duplicates collapse, first order kept', input: { text: 'https://b.example/ https://a.example/ https://b.example/' }, urls: ['https://b.example/', 'https://a.example/'] },
  { name: 'scheme and host are normalized', input: { uriList: 'HTTPS://Example.COM/Path' }, urls: ['https://example.com/Path'] },
  { name: 'an IDN host becomes punycode', input: { uriList: 'https://bücher.example/x' }, urls: ['https://xn--bcher-kva.example/x'] },
  { name: 'credentials in a link are allowed', input: { uriList: 'https://user:pw@example.com/f' }, urls: ['https://user:pw@example.com/f'] },
  { name: 'text without links adds nothing', input: { text: 'Note: nothing to see here, just words.' }, urls: [] },
  { name: 'a bare host is not a link', input: { uriList: 'example.com/file.zip' }, urls: [], refused: ['Not a valid link'] },
  // Hostile or wrong schemes.
  { name: 'javascript: in uri-list', input: { uriList: 'javascript:alert(1)' }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'javascript: in text, mixed case', input: { text: 'JaVaScRiPt:alert(document.cookie)' }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'javascript: hidden by a tab (the URL parser strips it)', input: { uriList: 'java\tscript:alert(1)' }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'file:///etc/passwd', input: { uriList: 'file:///etc/passwd' }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'file: in text', input: { text: 'open file:///C:/Windows/win.ini please' }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'data: URL with a script', input: { text: 'data:text/html,<script>alert(1)</script>' }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'vbscript:', input: { uriList: 'vbscript:msgbox(1)' }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'ftp:// is not downloaded', input: { text: 'ftp://ftp.example.org/pub/file' }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'blob: URL', input: { uriList: 'blob:https://example.com/uuid' }, urls: [], refused: [REFUSED_SCHEME] },
  {
    name: 'good and hostile together: the good one survives',
    input: { uriList: 'javascript:alert(1)\nhttps://example.com/ok.bin' },
    urls: ['https://example.com/ok.bin'],
    refused: [REFUSED_SCHEME],
  },
  { name: 'http:// without a host', input: { uriList: 'http://' }, urls: [], refused: ['Not a valid link'] },
  { name: 'a link longer than main accepts', input: { uriList: long }, urls: [], refused: ['The link is longer than 8192 characters'] },
  { name: 'NUL and control characters are not a link', input: { uriList: '\u0000\u0001' }, urls: [], refused: ['Not a valid link'] },
  {
    name: 'a quote cannot break out into markup',
    input: { text: 'https://example.com/a"><img src=x onerror=alert(1)>' },
    urls: ['https://example.com/a'],
  },
  // Files.
  {
    name: 'a .txt list of links',
    input: { files: [{ name: 'links.TXT', text: 'https://a.example/1\n# comment\nhttps://a.example/2\n' }] },
    urls: ['https://a.example/1', 'https://a.example/2'],
  },
  {
    name: 'a Windows .url shortcut',
    input: { files: [{ name: 'Ubuntu.url', text: '[InternetShortcut]\r\nURL=https://releases.ubuntu.com/noble/ubuntu.iso\r\nIconIndex=0\r\n' }] },
    urls: ['https://releases.ubuntu.com/noble/ubuntu.iso'],
  },
  { name: 'a .url shortcut to a local file is refused', input: { files: [{ name: 'evil.url', text: '[InternetShortcut]\nURL=file:///etc/shadow\n' }] }, urls: [], refused: [REFUSED_SCHEME] },
  { name: 'other files are named, not read', input: { files: [{ name: 'photo.jpg', text: null }] }, urls: [], ignoredFiles: ['photo.jpg'] },
  { name: 'nothing at all', input: {}, urls: [] },
];

describe('extractUrls', () => {
  it('has a table of at least 20 rows', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(20);
  });

  it.each(TABLE)('$name', (row) => {
    const out = extractUrls(row.input);
    expect(out.urls).toEqual(row.urls);
    expect(out.refused.map((r) => r.reason)).toEqual(row.refused ?? []);
    expect(out.ignoredFiles).toEqual(row.ignoredFiles ?? []);
    for (const url of out.urls) expect(url).toMatch(/^https?:\/\//);
  });

  it('shortens what it refuses for display', () => {
    const out = extractUrls({ uriList: `javascript:${'x'.repeat(500)}` });
    expect(out.refused[0]!.input.length).toBeLessThanOrEqual(80);
  });
});

describe('uri-list and .url helpers', () => {
  it('skips comment and blank lines', () => {
    expect(uriListLines('#c\n\n a \r\nb')).toEqual(['a', 'b']);
  });
  it('reads every URL= line, case-insensitively', () => {
    expect(internetShortcutUrls('[x]\nurl = https://a/\nURL=https://b/\nIconFile=c')).toEqual(['https://a/', 'https://b/']);
  });
});
