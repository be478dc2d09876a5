// Time left, rounded the way a person estimates: seconds under a minute, then minutes, then hours.
// Estimates jitter with speed, so the coarser the unit the fewer digits we show.

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    const rest = s % 60;
    return minutes < 10 && rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const rest = minutes % 60;
    return rest > 0 ? `${hours} h ${rest} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  // Past a few days the estimate is meaningless; say so instead of printing a huge number.
  return days > 30 ? 'more than a month' : `${days} d ${hours % 24} h`;
}
