// Byte counts and rates as people read them. Binary units (1 KB = 1024 bytes) with the short
// names browsers and file managers show, so Ferry's numbers match what the user sees elsewhere.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** `1536` → `1.5 KB`; null (size unknown) → `—`. Three significant digits at most. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.6 KB would round to "1024 KB"; show the next unit instead.
  if (value >= 999.5 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** Bytes per second; an idle download shows nothing rather than "0 B/s". */
export function formatSpeed(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Whole percent, floored so 99.7 % never reads as done before it is. */
export function percentDone(downloaded: number, size: number | null): number | null {
  if (size === null || size <= 0) return size === 0 ? 100 : null;
  return Math.max(0, Math.min(100, Math.floor((downloaded / size) * 100)));
}
