// Content-Disposition parsing (RFC 6266 / RFC 8187): the raw, untrusted name a server offers.
// The hostile table pins what is extracted; sanitizing is file-name.test.ts's business.
import { describe, expect, it } from 'vitest';
import { fileNameFromContentDisposition } from '../../main/engine/content-disposition.js';
import { HOSTILE_NAMES } from '../helpers/hostile-names.js';

describe('hostile headers decode to the name they carry', () => {
  it.each(HOSTILE_NAMES)('$label', ({ header, decoded }) => {
    expect(fileNameFromContentDisposition(header)).toBe(decoded);
  });
});

describe('fileNameFromContentDisposition', () => {
  it.each([
    // Plain forms.
    ['attachment; filename="report.pdf"', 'report.pdf'],
    ['attachment; filename=report.pdf', 'report.pdf'],
    ['inline; filename="report.pdf"', 'report.pdf'],
    ['ATTACHMENT; FILENAME="report.pdf"', 'report.pdf'],
    ['attachment;filename="report.pdf"', 'report.pdf'],
    ['attachment;\tfilename = "report.pdf" ', 'report.pdf'],
    ['attachment; filename=report.pdf ; size=100', 'report.pdf'],
    ['attachment; size=100; filename="report.pdf"', 'report.pdf'],
    // Quoted strings: separators inside quotes, and backslash escapes.
    ['attachment; filename="a;b=c.txt"; x=y', 'a;b=c.txt'],
    ['attachment; filename="say \\"hi\\".txt"', 'say "hi".txt'],
    ['attachment; filename="unterminated.txt', 'unterminated.txt'],
    // The first of a repeated parameter wins.
    ['attachment; filename="first.txt"; filename="second.txt"', 'first.txt'],
    // filename* (RFC 8187) is preferred, in either order, with any case of charset.
    ["attachment; filename*=UTF-8''%E2%82%AC.txt; filename=\"euro.txt\"", '€.txt'],
    ["attachment; filename*=utf-8'en'%E2%82%AC.txt", '€.txt'],
    ["attachment; filename*=UTF-8''a%20b.txt", 'a b.txt'],
    ["attachment; filename*=iso-8859-1''%A3.txt", '£.txt'],
    ["attachment; filename*=''plain.txt", 'plain.txt'],
    // Quoted filename* is invalid, but common; the value inside still decodes.
    ["attachment; filename*=\"UTF-8''quoted.txt\"", 'quoted.txt'],
    // An unsupported charset or malformed value falls back to filename=.
    ["attachment; filename*=KOI8-R''%C1.txt; filename=\"fallback.txt\"", 'fallback.txt'],
    ["attachment; filename*=no-quotes.txt; filename=\"fallback.txt\"", 'fallback.txt'],
    ["attachment; filename*=UTF-8''%FF.txt", null],
    // Servers that percent-encode or send raw UTF-8 in plain filename=.
    ['attachment; filename="r%C3%A9sum%C3%A9.pdf"', 'résumé.pdf'],
    ['attachment; filename="100%.txt"', '100%.txt'],
    ['attachment; filename="bad%E0%A4.txt"', 'bad%E0%A4.txt'],
    [`attachment; filename="${Buffer.from('日本.txt').toString('latin1')}"`, '日本.txt'],
    // Latin-1 that is not valid UTF-8 stays latin1.
    ['attachment; filename="caf\u00e9.txt"', 'café.txt'],
    // A parameter without a value does not swallow the next one.
    ['attachment; foo; filename="x.txt"', 'x.txt'],
    ['attachment; foo ; bar; filename=x.txt', 'x.txt'],
    // No disposition type: browsers still read the parameters.
    ['filename="notype.txt"', 'notype.txt'],
    ['filename=notype.txt; size=3', 'notype.txt'],
    // Nothing to name a file with.
    ['attachment', null],
    ['inline', null],
    ['attachment;', null],
    ['attachment; filename=', null],
    ['attachment; filename=""', null],
    ['attachment; name="field"', null],
    ['attachment; filenamex="x.txt"', null],
    ['', null],
  ])('%s → %j', (header, expected) => {
    expect(fileNameFromContentDisposition(header)).toBe(expected);
  });

  it.each([null, undefined])('%s → null', (header) => {
    expect(fileNameFromContentDisposition(header)).toBeNull();
  });
});
