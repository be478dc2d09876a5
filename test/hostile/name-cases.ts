// File names from servers, URLs and users. Each must come out of sanitizeFileName/chooseFileName
// as a plain name: inside the folder, at most 255 bytes with room for ".part", no separators,
// control, bidi or zero-width characters, no reserved Windows device name. `expected` pins the
// result where one answer is clearly right.
import path from 'node:path';
import { expect } from 'vitest';

export interface NameCase {
  label: string;
  /** 'sanitize': sanitizeFileName(input); 'disposition': the Content-Disposition header; 'url': the URL's last segment. */
  via: 'sanitize' | 'disposition' | 'url';
  input: string | null | undefined;
  expected?: string;
}

const s = (label: string, input: string | null | undefined, expected?: string): NameCase => ({ label, via: 'sanitize', input, expected });
const ext = (name: string) => `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;

const LONG_ASCII = 'a'.repeat(300);
const LONG_CJK = '日'.repeat(300);
const LONG_EMOJI = '😀'.repeat(300);

export const NAME_CASES: NameCase[] = [
  // Control characters.
  s('NUL inside', 'a\u0000b.txt', 'ab.txt'),
  s('every C0 control', `x${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')}y.txt`, 'xy.txt'),
  s('DEL and C1 controls', 'a\u007f\u0085\u009fb.txt', 'ab.txt'),
  s('CR LF and a slash inside', 'evil\r\nContent-Type: text/html.txt', 'html.txt'),
  s('escape sequence (terminal injection)', 'a\u001b[31mred\u001b[0m.txt', 'a[31mred[0m.txt'),
  s('tabs are control characters too', 'a\t\tb.txt', 'ab.txt'),
  // Bidi and invisible characters.
  s('right-to-left override (U+202E)', 'invoice\u202Efdp.exe', 'invoicefdp.exe'),
  s('left-to-right and right-to-left marks', '\u200eab\u200f.txt', 'ab.txt'),
  s('bidi isolates (U+2066-U+2069)', '\u2066a\u2067b\u2068c\u2069.txt', 'abc.txt'),
  s('Arabic letter mark (U+061C)', 'a\u061Cb.txt', 'ab.txt'),
  s('zero-width joiner (U+200D)', 'pay\u200Dpal.exe', 'paypal.exe'),
  s('zero-width non-joiner and space', 'a\u200Cb\u200Bc.txt', 'abc.txt'),
  s('word joiner (U+2060), also zero-width', 'pay\u2060pal.exe', 'paypal.exe'),
  s('byte order mark inside', 'a\uFEFFb.txt', 'ab.txt'),
  s('only invisible characters', '\u202E\u200B\u200D\uFEFF'),
  // Reserved Windows names.
  s('CON', 'CON', '_CON'),
  s('con lower case', 'con', '_con'),
  s('aux.txt', 'aux.txt', '_aux.txt'),
  s('lpt1', 'lpt1', '_lpt1'),
  s('LPT9.log', 'LPT9.log', '_LPT9.log'),
  s('COM1.tar.gz', 'COM1.tar.gz', '_COM1.tar.gz'),
  s('COM¹ (superscript digit)', 'COM¹.txt', '_COM¹.txt'),
  s('NUL with a space before the dot', 'NUL .txt', '_NUL .txt'),
  s('PRN with trailing dots', 'PRN...', '_PRN'),
  s('CONIN$', 'CONIN$', '_CONIN$'),
  s('reserved name only after truncation', `nul${'.'.repeat(300)}x.txt`),
  // Length.
  s('300 ASCII characters', `${LONG_ASCII}.txt`),
  s('300 ASCII characters, no extension', LONG_ASCII),
  s('300 CJK characters (900 bytes)', `${LONG_CJK}.txt`),
  s('300 emoji (1,200 bytes)', `${LONG_EMOJI}.png`),
  s('300 multi-byte characters with a long extension', `${'é'.repeat(300)}.${'x'.repeat(40)}`),
  s('a 300-character extension', `x.${'y'.repeat(300)}`),
  s('a lone high surrogate', 'a\uD800b.txt'),
  // Dots, spaces, empty.
  s('trailing dots', 'report.pdf...', 'report.pdf'),
  s('trailing spaces', 'report.pdf   ', 'report.pdf'),
  s('trailing dots and spaces mixed', 'report.pdf. . .', 'report.pdf'),
  s('leading dots (hidden file)', '...bashrc', 'bashrc'),
  s('single dot', '.', 'download'),
  s('double dot', '..', 'download'),
  s('only dots', '.......', 'download'),
  s('only spaces', '     ', 'download'),
  s('empty', '', 'download'),
  s('null', null, 'download'),
  s('undefined', undefined, 'download'),
  // Separators and characters Windows forbids.
  s('unix traversal', '../../etc/passwd', 'passwd'),
  s('windows traversal', '..\\..\\Windows\\System32\\evil.dll', 'evil.dll'),
  s('absolute unix path', '/etc/shadow', 'shadow'),
  s('drive letter path', 'C:\\Users\\x\\evil.exe', 'evil.exe'),
  s('trailing slash', 'folder/', 'folder'),
  s('forbidden characters', 'a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'),
  s('NTFS alternate data stream', 'file.txt::$DATA', 'file.txt__$DATA'),
  s('fullwidth solidus is a character, not a separator', 'a\uFF0Fb.txt', 'a\uFF0Fb.txt'),
  // The same through Content-Disposition and URLs.
  { label: 'Content-Disposition: RLO and ZWJ', via: 'disposition', input: ext('in\u200Dvoice\u202Efdp.exe'), expected: 'invoicefdp.exe' },
  { label: 'Content-Disposition: CON.txt', via: 'disposition', input: ext('CON.txt'), expected: '_CON.txt' },
  { label: 'Content-Disposition: 300 multi-byte characters', via: 'disposition', input: ext(`${'ж'.repeat(300)}.zip`) },
  { label: 'Content-Disposition: only dots falls back to the URL', via: 'disposition', input: 'attachment; filename="..."', expected: 'fallback.bin' },
  { label: 'URL: encoded traversal', via: 'url', input: 'http://127.0.0.1/x/..%2F..%2Fetc%2Fpasswd', expected: 'passwd' },
  { label: 'URL: encoded RLO', via: 'url', input: 'http://127.0.0.1/%E2%80%AEcod.exe', expected: 'cod.exe' },
  { label: 'URL: encoded NUL and newline', via: 'url', input: 'http://127.0.0.1/a%00b%0Ac.txt', expected: 'abc.txt' },
  { label: 'URL: reserved name', via: 'url', input: 'http://127.0.0.1/dl/aux', expected: '_aux' },
  { label: 'URL: invalid escapes kept literally', via: 'url', input: 'http://127.0.0.1/%E2%82.txt', expected: '%E2%82.txt' },
];

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

/** The properties a name must have before Ferry creates a file with it in `dir`. */
export function expectSafeName(name: string, dir: string): void {
  expect(typeof name).toBe('string');
  expect(name.length).toBeGreaterThan(0);
  expect(name, 'well-formed UTF-16, no lone surrogates (what is stored is what is on disk)').not.toMatch(/\p{Cs}/u);
  expect(path.dirname(path.resolve(dir, name)), 'inside the folder').toBe(dir);
  expect(name, 'no separators').not.toMatch(/[/\\]/);
  expect(name, 'no control characters').not.toMatch(/\p{Cc}/u);
  expect(name, 'no bidi controls').not.toMatch(/\p{Bidi_Control}/u);
  expect(name, 'no zero-width characters').not.toMatch(/[\u200B-\u200D\u2060\uFEFF]/);
  expect(name, 'no characters Windows forbids').not.toMatch(/[<>:"|?*]/);
  expect(name, 'not hidden, not a dot name').not.toMatch(/^\./);
  expect(name, 'no trailing dot or space').not.toMatch(/[. ]$/);
  expect(Buffer.byteLength(`${name} (999).part`), 'fits 255 bytes with a number and .part').toBeLessThanOrEqual(255);
  expect(name.split('.')[0]!.trimEnd(), 'not a reserved Windows device name').not.toMatch(RESERVED);
}
