// Table tests for the glue's pure parts: URLs from a command line, and the tray's wording.
import { describe, expect, it } from 'vitest';
import { urlsFromArgv } from '../../main/app/argv-urls.js';
import { formatRate, statusLine, summarize, tooltip } from '../../main/app/tray-status.js';

describe('urlsFromArgv', () => {
  it('keeps http(s) URLs and nothing else', () => {
    const argv = [
      '/opt/Ferry/ferry',
      '--no-sandbox',
      '.',
      'https://example.com/a.iso',
      'HTTP://Example.com/b',
      'javascript:alert(1)',
      'file:///etc/passwd',
      '/home/me/list.txt',
      'https://',
      `https://example.com/${'x'.repeat(9000)}`,
      '--inspect=http://0.0.0.0:9229',
    ];
    expect(urlsFromArgv(argv)).toEqual(['https://example.com/a.iso', 'http://example.com/b']);
  });

  it('stops at 1000 URLs', () => {
    expect(urlsFromArgv(Array.from({ length: 1500 }, (_, i) => `https://e.com/${i}`))).toHaveLength(1000);
  });
});

describe('tray wording', () => {
  it.each([
    [0, '0 B/s'],
    [999, '999 B/s'],
    [1000, '1.0 kB/s'],
    [12_400_000, '12.4 MB/s'],
    [123_456_789, '123 MB/s'],
    [2.5e9, '2.5 GB/s'],
    [5e12, '5000 GB/s'],
  ])('formatRate(%d) = %s', (n, text) => {
    expect(formatRate(n)).toBe(text);
  });

  it('summarizes and words the totals', () => {
    const t = summarize([
      { status: 'downloading', speed: 10_000_000 },
      { status: 'probing', speed: 0 },
      { status: 'downloading', speed: 2_400_000 },
      { status: 'queued', speed: 0 },
      { status: 'paused', speed: 0 },
      { status: 'completed', speed: 0 },
      { status: 'failed', speed: 0 },
      { status: 'canceled', speed: 0 },
    ]);
    expect(t).toEqual({ downloading: 3, queued: 1, paused: 1, completed: 1, failed: 1, speed: 12_400_000 });
    expect(statusLine(t)).toBe('3 downloading · 12.4 MB/s');
    expect(tooltip(t)).toBe('Ferry\n3 downloading · 12.4 MB/s\n1 queued · 1 paused · 1 completed · 1 failed');
    expect(statusLine(summarize([{ status: 'queued', speed: 0 }]))).toBe('1 queued');
    expect(tooltip(summarize([]))).toBe('Ferry\nNothing downloading');
  });
});
