// File names come from servers and URLs and are hostile until sanitized. Every hostile header in
// the shared table must end up as a name that is safe on Linux, macOS and Windows alike.
import { describe, expect, it } from 'vitest';
import {
  FALLBACK_NAME,
  chooseFileName,
  fileNameFromUrl,
  numberedName,
  sanitizeFileName,
  truncateBytes,
} from '../../main/engine/file-name.js';
import { HOSTILE_NAMES } from '../helpers/hostile-names.js';

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** What "safe" means, checked independently of how the sanitizer gets there. */
function expectSafe(name: string, maxBytes = 255 - 16): void {
  expect(name.length).toBeGreaterThan(0);
  expect(name).not.toMatch(/[/\\]/);
  expect(name).not.toMatch(CONTROL_OR_BIDI);
  expect(name).not.toMatch(/[<>:"|?*]/);
  expect(['.', '..']).not.toContain(name);
  expect(name).not.toMatch(/^[.\s]|[.\s]$/);
  // By default, room for " (n)" and ".part" within the 255-byte limit of common file systems.
  expect(Buffer.byteLength(name)).toBeLessThanOrEqual(maxBytes);
  // Windows treats "NUL.txt", "nul.tar.gz" and "PRN .txt" as devices.
  expect(name.split('.')[0]!.trimEnd()).not.toMatch(RESERVED);
  expect(name).toBe(name.normalize('NFC'));
}

describe('every hostile Content-Disposition becomes a safe name', () => {
  it.each(HOSTILE_NAMES)('$label', ({ header, decoded }) => {
    const fromHeader = chooseFileName(header, 'http://example.com/real-name.bin', 'http://example.com/real-name.bin');
    expectSafe(fromHeader);
    const direct = sanitizeFileName(decoded);
    expectSafe(direct);
    // The same name again, with a number: still safe (the writer uses it to avoid overwriting).
    expectSafe(numberedName(direct, 999), 255 - '.part'.length);
    // Sanitizing is idempotent: a sanitized name passes through unchanged.
    expect(sanitizeFileName(direct)).toBe(direct);
  });
});

describe('sanitizeFileName', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\evil.dll', 'evil.dll'],
    ['C:\\Users\\x\\evil.exe', 'evil.exe'],
    ['dir/', 'dir'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['COM1.tar.gz', '_COM1.tar.gz'],
    ['PRN .txt', '_PRN .txt'],
    ['aux.', '_aux'],
    ['console.txt', 'console.txt'],
    ['com10', 'com10'],
    ['a<b>c:d|e?f*g"h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['a\u0000b\nc.txt', 'abc.txt'],
    // A tab is a control character and goes; runs of spaces become one.
    ['a\tb   c.txt', 'ab c.txt'],
    ['.bashrc', 'bashrc'],
    ['report.pdf. . .', 'report.pdf'],
    ['e\u0301te\u0301.txt', 'été.txt'],
    ['€ rates.pdf', '€ rates.pdf'],
    ['.', FALLBACK_NAME],
    ['..', FALLBACK_NAME],
    ['   ', FALLBACK_NAME],
    ['\u202E\u200B', FALLBACK_NAME],
    ['', FALLBACK_NAME],
    [null, FALLBACK_NAME],
    [undefined, FALLBACK_NAME],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('cuts long names to whole characters, keeping a short extension', () => {
    const ascii = sanitizeFileName(`${'a'.repeat(300)}.txt`);
    expect(ascii).toBe(`${'a'.repeat(235)}.txt`);
    const cjk = sanitizeFileName(`${'日'.repeat(300)}.txt`);
    expect(cjk).toMatch(/^日+\.txt$/);
    expect(Buffer.byteLength(cjk)).toBeLessThanOrEqual(239);
    const emoji = sanitizeFileName(`${'😀'.repeat(100)}.png`);
    expect(emoji).toMatch(/^(😀)+\.png$/u);
  });

  it('does not let truncation turn a name into a reserved one', () => {
    expect(sanitizeFileName(`nul${'.'.repeat(300)}x.txt`)).toBe('_nul.txt');
  });
});

describe('truncateBytes', () => {
  it.each([
    { name: 'short.txt', max: 255, expected: 'short.txt' },
    { name: 'abcdef.txt', max: 8, expected: 'abcd.txt' },
    { name: 'abcdef.txt', max: 5, expected: 'a.txt' },
    // Not even one stem byte fits beside the extension: the extension goes instead.
    { name: 'abcdef.txt', max: 4, expected: 'abcd' },
    { name: 'abc.txt', max: 3, expected: 'abc' },
    { name: 'ééé.txt', max: 7, expected: 'é.txt' },
    { name: '😀😀.txt', max: 9, expected: '😀.txt' },
    { name: '😀😀.txt', max: 7, expected: '😀' },
    { name: `x.${'y'.repeat(40)}`, max: 10, expected: 'x.yyyyyyyy' },
    { name: 'ab. . . .txt', max: 8, expected: 'ab.txt' },
  ])('$name in $max bytes → $expected', ({ name, max, expected }) => {
    const out = truncateBytes(name, max);
    expect(out).toBe(expected);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(max);
  });
});

describe('fileNameFromUrl', () => {
  it.each([
    ['https://example.com/files/report.pdf', 'report.pdf'],
    ['https://example.com/files/report.pdf?token=abc#frag', 'report.pdf'],
    ['https://example.com/files/', 'files'],
    ['https://example.com/', null],
    ['https://example.com', null],
    ['https://example.com/a%20b%C3%A9.txt', 'a bé.txt'],
    ['https://example.com/%E0%A4%A.txt', '%E0%A4%A.txt'],
    ['https://example.com/x/..%2F..%2Fetc%2Fpasswd', '../../etc/passwd'],
    ['not a url', null],
  ])('%s → %j', (url, expected) => {
    expect(fileNameFromUrl(url)).toBe(expected);
  });
});

describe('chooseFileName', () => {
  it.each([
    { label: 'Content-Disposition first', cd: 'attachment; filename="a.zip"', final: 'http://h/b.zip', original: 'http://h/c.zip', expected: 'a.zip' },
    { label: 'then the final URL', cd: undefined, final: 'http://h/b.zip', original: 'http://h/c.zip', expected: 'b.zip' },
    { label: 'then the original URL', cd: undefined, final: 'http://h/', original: 'http://h/c.zip', expected: 'c.zip' },
    { label: 'then the host', cd: undefined, final: 'http://example.com/', original: 'http://example.com/', expected: 'example.com' },
    { label: 'a header naming nothing usable falls through to the URL', cd: 'attachment; filename=".."', final: 'http://h/b.zip', original: 'http://h/c.zip', expected: 'b.zip' },
    { label: 'an invisible-only header falls through', cd: "attachment; filename*=UTF-8''%E2%80%AE", final: 'http://h/b.zip', original: 'http://h/c.zip', expected: 'b.zip' },
    { label: 'an unparsable URL gives the fallback', cd: undefined, final: 'nope', original: 'nope', expected: FALLBACK_NAME },
    { label: 'the chosen name is sanitized', cd: 'attachment; filename="../CON.txt"', final: 'http://h/b', original: 'http://h/b', expected: '_CON.txt' },
  ])('$label', ({ cd, final, original, expected }) => {
    expect(chooseFileName(cd, final, original)).toBe(expected);
  });
});

describe('numberedName', () => {
  it.each([
    ['report.pdf', 0, 'report.pdf'],
    ['report.pdf', 1, 'report (1).pdf'],
    ['report', 2, 'report (2)'],
    ['archive.tar.gz', 3, 'archive (3).tar.gz'],
    ['ARCHIVE.TAR.XZ', 1, 'ARCHIVE (1).TAR.XZ'],
    ['my.photo.jpg', 1, 'my.photo (1).jpg'],
    ['archive.tar', 1, 'archive (1).tar'],
  ])('%s, %i → %s', (name, n, expected) => {
    expect(numberedName(name, n)).toBe(expected);
  });
});
