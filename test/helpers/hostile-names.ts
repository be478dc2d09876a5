// Content-Disposition headers a hostile or broken server might send. Every header here is valid on
// the wire (Node's setHeader accepts it), so the same table drives the pure parser tests and engine
// tests against the fault server. `decoded` is the raw name RFC 6266 extracts, before any
// sanitizing: the parser must return it, and the sanitizer must then make it harmless.

export interface HostileName {
  label: string;
  header: string;
  /** What fileNameFromContentDisposition must return; null when the header names no file. */
  decoded: string | null;
}

/** Header values travel as latin1 in Node, so raw UTF-8 from a server looks like this. */
function rawUtf8(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function ext(name: string): string {
  return `attachment; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const HOSTILE_NAMES: readonly HostileName[] = [
  // Traversal and absolute paths.
  { label: 'unix traversal', header: 'attachment; filename="../../etc/passwd"', decoded: '../../etc/passwd' },
  { label: 'encoded traversal', header: "attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd", decoded: '../../etc/passwd' },
  { label: 'absolute path token', header: 'attachment; filename=/etc/passwd', decoded: '/etc/passwd' },
  { label: 'backslash traversal token', header: 'attachment; filename=..\\..\\Windows\\evil.dll', decoded: '..\\..\\Windows\\evil.dll' },
  { label: 'escaped backslashes in quotes', header: 'attachment; filename="..\\\\..\\\\evil.dll"', decoded: '..\\..\\evil.dll' },
  { label: 'drive letter', header: ext('C:\\Users\\x\\evil.exe'), decoded: 'C:\\Users\\x\\evil.exe' },
  { label: 'UNC path', header: 'attachment; filename=\\\\server\\share\\x.txt', decoded: '\\\\server\\share\\x.txt' },
  { label: 'traversal to a device', header: 'attachment; filename="../CON"', decoded: '../CON' },
  { label: 'only slashes', header: 'attachment; filename="///"', decoded: '///' },
  { label: 'only backslashes', header: 'attachment; filename=\\\\\\', decoded: '\\\\\\' },
  // Length.
  { label: '300 ASCII characters', header: `attachment; filename="${'a'.repeat(300)}.txt"`, decoded: `${'a'.repeat(300)}.txt` },
  { label: '300 CJK characters (900 bytes)', header: ext(`${'日'.repeat(300)}.txt`), decoded: `${'日'.repeat(300)}.txt` },
  { label: '100 emoji (400 bytes)', header: ext(`${'😀'.repeat(100)}.png`), decoded: `${'😀'.repeat(100)}.png` },
  { label: '300-character extension', header: `attachment; filename="x.${'y'.repeat(300)}"`, decoded: `x.${'y'.repeat(300)}` },
  { label: 'dots then a short name past the limit', header: `attachment; filename="nul${'.'.repeat(300)}x.txt"`, decoded: `nul${'.'.repeat(300)}x.txt` },
  // Encodings.
  { label: 'RFC 5987 UTF-8', header: "attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf", decoded: '€ rates.pdf' },
  { label: 'filename* wins over filename', header: "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''%C3%A9t%C3%A9.pdf", decoded: 'été.pdf' },
  { label: 'ISO-8859-1 filename*', header: "attachment; filename*=ISO-8859-1''%E9t%E9.txt", decoded: 'été.txt' },
  { label: 'raw UTF-8 in filename', header: `attachment; filename="${rawUtf8('résumé.pdf')}"`, decoded: 'résumé.pdf' },
  { label: 'broken filename* falls back', header: "attachment; filename=\"safe.txt\"; filename*=UTF-8''%E2%82.txt", decoded: 'safe.txt' },
  { label: 'decomposed (NFD) accents', header: "attachment; filename*=UTF-8''e%CC%81t%C3%A9.txt", decoded: 'e\u0301té.txt' },
  { label: 'valueless parameter first', header: 'attachment; foo; filename="x.txt"', decoded: 'x.txt' },
  // Reserved Windows names.
  { label: 'CON', header: 'attachment; filename="CON"', decoded: 'CON' },
  { label: 'nul.txt', header: 'attachment; filename="nul.txt"', decoded: 'nul.txt' },
  { label: 'COM1.tar.gz', header: 'attachment; filename="COM1.tar.gz"', decoded: 'COM1.tar.gz' },
  { label: 'lpt9', header: 'attachment; filename=lpt9', decoded: 'lpt9' },
  { label: 'aux with trailing dot', header: 'attachment; filename="aux."', decoded: 'aux.' },
  { label: 'Con with trailing spaces', header: 'attachment; filename="Con   "', decoded: 'Con   ' },
  { label: 'PRN with a space before the extension', header: 'attachment; filename="PRN .txt"', decoded: 'PRN .txt' },
  // Control characters.
  { label: 'NUL, LF, US, DEL', header: "attachment; filename*=UTF-8''a%00b%0Ac%1Fd%7F.txt", decoded: 'a\u0000b\nc\u001fd\u007f.txt' },
  { label: 'CRLF header injection', header: 'attachment; filename="evil%0D%0AContent-Type: text/html.txt"', decoded: 'evil\r\nContent-Type: text/html.txt' },
  { label: 'raw tab', header: 'attachment; filename="a\tb.txt"', decoded: 'a\tb.txt' },
  { label: 'C1 control NEL', header: "attachment; filename*=UTF-8''a%C2%85b.txt", decoded: 'a\u0085b.txt' },
  { label: 'line separator', header: "attachment; filename*=UTF-8''a%E2%80%A8b.txt", decoded: 'a\u2028b.txt' },
  // Bidi and invisible characters.
  { label: 'right-to-left override, raw', header: `attachment; filename="${rawUtf8('invoice\u202Efdp.exe')}"`, decoded: 'invoice\u202Efdp.exe' },
  { label: 'right-to-left override, filename*', header: "attachment; filename*=UTF-8''photo%E2%80%AEgnp.scr", decoded: 'photo\u202Egnp.scr' },
  { label: 'bidi isolates and Arabic letter mark', header: ext('\u2066evil\u2069\u061C.txt'), decoded: '\u2066evil\u2069\u061C.txt' },
  { label: 'BOM and zero-width space', header: ext('\uFEFFfile\u200B.txt'), decoded: '\uFEFFfile\u200B.txt' },
  // Empty and dot-only.
  { label: 'empty quoted', header: 'attachment; filename=""', decoded: null },
  { label: 'empty filename*', header: "attachment; filename*=UTF-8''", decoded: null },
  { label: 'no filename at all', header: 'attachment', decoded: null },
  { label: 'single dot', header: 'attachment; filename="."', decoded: '.' },
  { label: 'double dot', header: 'attachment; filename=".."', decoded: '..' },
  { label: 'only dots', header: 'attachment; filename="....."', decoded: '.....' },
  { label: 'dots and spaces', header: 'attachment; filename=". . ."', decoded: '. . .' },
  { label: 'only spaces', header: 'attachment; filename="   "', decoded: '   ' },
  { label: 'only invisible characters', header: ext('\u202E\u200B\uFEFF'), decoded: '\u202E\u200B\uFEFF' },
  // Other names Windows or shells mistreat.
  { label: 'hidden dot file', header: 'attachment; filename=".bashrc"', decoded: '.bashrc' },
  { label: 'characters Windows forbids', header: 'attachment; filename="a<b>c:d|e?f*g\\"h.txt"', decoded: 'a<b>c:d|e?f*g"h.txt' },
  { label: 'NTFS alternate data stream', header: 'attachment; filename="file.txt::$DATA"', decoded: 'file.txt::$DATA' },
  { label: 'trailing dots and spaces', header: 'attachment; filename="report.pdf. . ."', decoded: 'report.pdf. . .' },
];
