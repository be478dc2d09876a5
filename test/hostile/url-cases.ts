// URLs a user, a web page or a dropped file may hand Ferry. `href` is what validateUrl must
// return (the WHATWG-normalized URL Ferry then stores and fetches); no `href` means the input must
// be refused with INVALID_URL and leave nothing behind.

export interface UrlCase {
  label: string;
  input: unknown;
  href?: string;
}

/** The password used in every credentials case: it must never appear in anything shown. */
export const PASSWORD = 'S3cr3tPw';

const refused = (label: string, input: unknown): UrlCase => ({ label, input });
const accepted = (label: string, input: unknown, href: string): UrlCase => ({ label, input, href });

export const URL_CASES: UrlCase[] = [
  // Schemes other than http and https.
  refused('javascript:', 'javascript:alert(1)'),
  refused('mixed-case JaVaScRiPt:', 'JaVaScRiPt:alert(document.cookie)'),
  refused('javascript: behind a space', ' javascript:alert(1)'),
  refused('javascript: with a tab inside the scheme', 'java\tscript:alert(1)'),
  refused('javascript: with a newline inside the scheme', 'java\nscript:alert(1)'),
  refused('javascript: percent-encoded payload', 'javascript:%61lert(1)'),
  refused('vbscript:', 'vbscript:msgbox(1)'),
  refused('file: absolute', 'file:///etc/passwd'),
  refused('FILE: upper case, Windows path', 'FILE:///C:/Windows/win.ini'),
  refused('file: UNC host', 'file://server/share/x.txt'),
  refused('data: HTML', 'data:text/html,<script>alert(1)</script>'),
  refused('data: base64', 'data:application/octet-stream;base64,AAAA'),
  refused('ftp:', 'ftp://example.com/pub/x.iso'),
  refused('ftps:', 'ftps://example.com/x'),
  refused('sftp:', 'sftp://example.com/x'),
  refused('blob:', 'blob:https://example.com/6f1b8a36-8c2e-4b7e-9d1a-000000000000'),
  refused('about:blank', 'about:blank'),
  refused('chrome:', 'chrome://settings/passwords'),
  refused('chrome-extension:', 'chrome-extension://abcdefghijklmnop/page.html'),
  refused('view-source:', 'view-source:http://example.com/'),
  refused('ws:', 'ws://example.com/socket'),
  refused('wss:', 'wss://example.com/socket'),
  refused('mailto:', 'mailto:someone@example.com'),
  refused('jar:', 'jar:file:///x.jar!/y'),
  refused('smb:', 'smb://server/share'),
  refused('gopher:', 'gopher://example.com/'),
  refused('a host:port without a scheme reads as scheme "localhost"', 'localhost:8080/file.zip'),

  // Not URLs at all, or missing parts.
  refused('empty string', ''),
  refused('only spaces', '   '),
  refused('only a newline', '\n'),
  refused('no scheme', 'example.com/file.zip'),
  refused('protocol-relative', '//example.com/file.zip'),
  refused('a path', '/relative/path.bin'),
  refused('scheme only', 'http:'),
  refused('scheme and slashes only', 'http://'),
  refused('empty host with a port', 'http://:80/x'),
  refused('credentials but no host', 'http://user@/x'),
  refused('missing colon', 'http//example.com/x'),
  refused('a sentence', 'please download this'),
  refused('zero-width space before the scheme', '\u200bhttp://example.com/x'),
  refused('right-to-left override before the scheme', '\u202ehttp://example.com/x'),

  // Ports.
  refused('port 65536', 'http://127.0.0.1:65536/x'),
  refused('negative port', 'http://127.0.0.1:-1/x'),
  refused('20-digit port', 'http://127.0.0.1:99999999999999999999/x'),
  refused('port with letters', 'http://127.0.0.1:80a/x'),
  accepted('default port is dropped', 'HTTP://EXAMPLE.COM:80/a', 'http://example.com/a'),
  accepted('highest port', 'http://127.0.0.1:65535/x', 'http://127.0.0.1:65535/x'),

  // Hosts.
  accepted('IDN host to punycode', 'http://bücher.example/', 'http://xn--bcher-kva.example/'),
  accepted('Japanese IDN host', 'http://例え.テスト/', 'http://xn--r8jz45g.xn--zckzah/'),
  accepted('Cyrillic homograph shows as punycode', 'http://аpple.com/', 'http://xn--pple-43d.com/'),
  accepted('IPv6 loopback with port', 'http://[::1]:8080/x', 'http://[::1]:8080/x'),
  accepted('IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/'),
  refused('unclosed IPv6 bracket', 'http://[::1/x'),
  refused('IPv6 without brackets', 'http://::1/x'),
  refused('IPv6 zone id', 'http://[fe80::1%25eth0]/'),
  accepted('hex IPv4 shorthand normalizes', 'http://0x7f.1/x', 'http://127.0.0.1/x'),
  accepted('decimal IPv4 normalizes', 'http://2130706433/x', 'http://127.0.0.1/x'),
  refused('five-part dotted number', 'http://1.2.3.4.5/'),
  refused('space inside the host', 'http://exa mple.com/'),
  refused('percent-encoded NUL in the host', 'http://exa%00mple.com/'),
  refused('percent garbage in the host', 'http://%zz/'),
  refused('empty punycode label', 'http://xn--/'),
  accepted('percent-encoded letter in the host decodes', 'http://%41.com/', 'http://a.com/'),

  // Credentials: allowed (some servers need them), masked wherever shown.
  accepted('user and password', `http://user:${PASSWORD}@127.0.0.1/x`, `http://user:${PASSWORD}@127.0.0.1/x`),
  accepted('password only', `https://:${PASSWORD}@example.com/`, `https://:${PASSWORD}@example.com/`),
  accepted('user only', 'http://user@example.com/x', 'http://user@example.com/x'),
  refused('credentials and an invalid port', `http://user:${PASSWORD}@example.com:99999/x`),
  refused('credentials and an unclosed IPv6 bracket', `http://user:${PASSWORD}@[::1/x`),

  // Whitespace and control characters.
  accepted('leading and trailing spaces', '  http://127.0.0.1/x  ', 'http://127.0.0.1/x'),
  accepted('leading tab, trailing newline', '\thttp://127.0.0.1/x\r\n', 'http://127.0.0.1/x'),
  accepted('leading NUL (stripped as C0 control, like a browser)', '\u0000http://127.0.0.1/x', 'http://127.0.0.1/x'),
  accepted('trailing C0 controls', 'http://127.0.0.1/x\u0001\u001f', 'http://127.0.0.1/x'),
  accepted('no-break space around', '\u00a0http://127.0.0.1/x\u00a0', 'http://127.0.0.1/x'),
  accepted('newline inside the path is dropped', 'http://127.0.0.1/a\nb', 'http://127.0.0.1/ab'),
  accepted('CRLF inside the path (header injection attempt) is dropped', 'http://127.0.0.1/a\r\nX-Evil: 1', 'http://127.0.0.1/aX-Evil:%201'),
  accepted('space inside the path is encoded', 'http://127.0.0.1/a b.zip', 'http://127.0.0.1/a%20b.zip'),
  accepted('right-to-left override inside the path is encoded', 'http://127.0.0.1/\u202egpj.exe', 'http://127.0.0.1/%E2%80%AEgpj.exe'),

  // Percent-encoding garbage in the path and query (kept as given; the server decides).
  accepted('invalid percent escapes', 'http://127.0.0.1/%zz%', 'http://127.0.0.1/%zz%'),
  accepted('only percent signs', 'http://127.0.0.1/%%%%', 'http://127.0.0.1/%%%%'),
  accepted('encoded traversal in the path', 'http://127.0.0.1/a/..%2F..%2Fetc%2Fpasswd', 'http://127.0.0.1/a/..%2F..%2Fetc%2Fpasswd'),
  accepted('dot segments are resolved', 'http://127.0.0.1/a/b/../../../etc/passwd', 'http://127.0.0.1/etc/passwd'),
  accepted('encoded NUL in the path', 'http://127.0.0.1/a%00b', 'http://127.0.0.1/a%00b'),
  accepted('triple slash reads the first segment as the host', 'http:///x/y', 'http://x/y'),
  accepted('backslashes read as slashes', 'http:\\\\example.com\\x', 'http://example.com/x'),
  accepted('scheme without slashes', 'https:example.com', 'https://example.com/'),

  // Length.
  accepted('exactly 8192 characters', `http://127.0.0.1/${'a'.repeat(8192 - 'http://127.0.0.1/'.length)}`, `http://127.0.0.1/${'a'.repeat(8192 - 'http://127.0.0.1/'.length)}`),
  refused('8193 characters', `http://127.0.0.1/${'a'.repeat(8193 - 'http://127.0.0.1/'.length)}`),
  refused('1 MB', `http://127.0.0.1/${'a'.repeat(1024 * 1024)}`),
  refused('3,000 multi-byte characters that encode to 18,000', `http://127.0.0.1/${'é'.repeat(3000)}`),

  // Not strings.
  refused('a number', 42),
  refused('NaN', Number.NaN),
  refused('null', null),
  refused('undefined', undefined),
  refused('true', true),
  refused('a bigint', 1n),
  refused('a symbol', Symbol('http://example.com/')),
  refused('a function returning a URL', () => 'http://example.com/'),
  refused('an empty object', {}),
  refused('an object with href', { href: 'http://example.com/' }),
  refused('a URL object', new URL('http://example.com/x')),
  refused('an array holding a URL', ['http://example.com/x']),
  refused('a String object', Object('http://example.com/x')),
  refused('an object whose toString is a URL', { toString: () => 'http://example.com/x' }),
];
