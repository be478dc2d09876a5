// A progress bar with its number for assistive tech. Unknown size (no Content-Length) shows an
// indeterminate bar rather than a made-up percentage.

export function ProgressBar({ percent, label, tone }: { percent: number | null; label: string; tone?: string }) {
  return (
    <div
      className={`progress${percent === null ? ' indeterminate' : ''}${tone ? ` ${tone}` : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
    >
      <div className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}
