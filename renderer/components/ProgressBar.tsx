// A progress bar with its number for assistive tech. Unknown size (no Content-Length) shows an
// indeterminate bar rather than a made-up percentage.

// `subject` names what is measured: a recycled list row that now shows another download gets a fresh
// fill instead of one sliding (the transition) from the previous download's percentage. The fill is
// scaled, not sized, so that transition runs on the compositor: no layout or paint per animation
// frame while downloads report progress.
export function ProgressBar({ percent, label, tone, subject }: { percent: number | null; label: string; tone?: string; subject?: number | string }) {
  return (
    <div
      className={`progress${percent === null ? ' indeterminate' : ''}${tone ? ` ${tone}` : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
    >
      <div key={subject} className="progress-fill" style={percent === null ? undefined : { transform: `scaleX(${percent / 100})` }} />
    </div>
  );
}
