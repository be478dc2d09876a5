import { describe, expect, it } from 'vitest';
import { formatBytes, formatSpeed, percentDone } from '../../renderer/format/bytes.js';
import { formatEta } from '../../renderer/format/duration.js';
import { displayName, statusLabel } from '../../renderer/format/status.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [10 * 1024, '10 KB'],
    [1023.7 * 1024, '1.0 MB'],
    [5 * 1024 ** 3, '5.0 GB'],
    [1.5 * 1024 ** 4, '1.5 TB'],
    [null, '—'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%s → %s', (input, out) => {
    expect(formatBytes(input)).toBe(out);
  });
});

describe('formatSpeed', () => {
  it('shows a rate, or nothing when idle', () => {
    expect(formatSpeed(2.5 * 1024 * 1024)).toBe('2.5 MB/s');
    expect(formatSpeed(0)).toBe('');
    expect(formatSpeed(Number.POSITIVE_INFINITY)).toBe('');
  });
});

describe('percentDone', () => {
  it('floors, clamps, and is null for an unknown size', () => {
    expect(percentDone(997, 1000)).toBe(99);
    expect(percentDone(1000, 1000)).toBe(100);
    expect(percentDone(2000, 1000)).toBe(100);
    expect(percentDone(5, null)).toBeNull();
    expect(percentDone(0, 0)).toBe(100);
  });
});

describe('formatEta', () => {
  it.each([
    [null, ''],
    [-3, ''],
    [0.2, '1 s'],
    [59, '59 s'],
    [61, '1 min 1 s'],
    [600, '10 min'],
    [3600, '1 h'],
    [3600 + 25 * 60, '1 h 25 min'],
    [50 * 3600, '2 d 2 h'],
    [90 * 86400, 'more than a month'],
  ])('%s s → %s', (input, out) => {
    expect(formatEta(input)).toBe(out);
  });
});

describe('status words', () => {
  it('names every status in words', () => {
    expect(['queued', 'probing', 'downloading', 'paused', 'completed', 'failed', 'canceled'].map((s) => statusLabel(s as never))).toEqual([
      'Queued',
      'Starting',
      'Downloading',
      'Paused',
      'Completed',
      'Failed',
      'Canceled',
    ]);
  });
  it('names a download by file, else by URL path, else by host', () => {
    expect(displayName({ fileName: 'a.iso', url: 'https://x/y' })).toBe('a.iso');
    expect(displayName({ fileName: null, url: 'https://x.example/dir/my%20file.zip?q=1' })).toBe('my file.zip');
    expect(displayName({ fileName: null, url: 'https://x.example/' })).toBe('x.example');
  });
});
