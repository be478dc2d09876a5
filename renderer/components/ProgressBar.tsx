// A progress bar with its number for assistive tech. Unknown size (no Content-Length) shows an
// indeterminate bar rather than a made-up percentage.

// `subject` names what is measured: a recycled list row that now shows another download gets a fresh
// fill instead of one sliding (the transition) from the previous download's percentage. The fill is
// sized, not scaled: a transform gave every row's fill a paint chunk of its own, which Chromium
// re-layerized on every scroll frame; sized fills cost a little layout per progress tick inside the
// row's containment, and measured cheaper overall (bench/ui-ab.mjs: steady scroll 2.5-4.3 % of
// frames late against 6.2-8.0 %, fling CPU per frame -6 %).
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
      <div key={subject} className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}
