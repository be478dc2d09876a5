// The file as a bar: done byte ranges filled, ranges a connection is fetching right now striped,
// and under it one band per active connection showing the part of the file it owns and how far
// it got. Percent positions are computed here; the bar is plain boxes, no canvas.
import type { SegmentSnapshot } from '../../main/engine/model.js';
import { formatBytes } from '../format/bytes.js';

interface Band {
  left: number;
  width: number;
}

function band(start: number, endExclusive: number, size: number): Band {
  const left = (Math.max(0, start) / size) * 100;
  const right = (Math.min(size, endExclusive) / size) * 100;
  return { left, width: Math.max(0, right - left) };
}

function bandStyle(b: Band) {
  // A range too small to see still gets a sliver, so a just-started connection is visible.
  return { left: `${b.left}%`, width: `max(${b.width}%, 1px)` };
}

export function SegmentMap(props: { size: number | null; downloaded: number; segments: readonly SegmentSnapshot[]; complete: boolean }) {
  const { size, downloaded, complete } = props;
  if (size === null || size <= 0) {
    return (
      <div className="segment-map unknown">
        <div className="segment-bar" role="img" aria-label={`Size unknown; ${formatBytes(downloaded)} downloaded`}>{complete && <div className="seg done" style={{ left: 0, width: '100%' }} />}</div>
        <p className="segment-note">The server did not say how big the file is, so it comes over one connection.</p>
      </div>
    );
  }
  // A finished file, or a single-stream one with no segment records: what is on disk is one range from 0.
  const segments: readonly SegmentSnapshot[] =
    complete || props.segments.length === 0 ? [{ start: 0, end: size - 1, written: complete ? size : downloaded, active: false }] : props.segments;
  const active = segments.filter((s) => s.active);
  const doneBytes = segments.reduce((n, s) => n + s.written, 0);
  const label = `${formatBytes(doneBytes)} of ${formatBytes(size)} on disk in ${segments.length} segment${segments.length === 1 ? '' : 's'}, ${active.length} being fetched`;

  return (
    <div className="segment-map">
      <div className="segment-bar" role="img" aria-label={label}>
        {segments.map((s) => {
          const end = (s.end ?? size - 1) + 1;
          const doneEnd = s.start + s.written;
          return [
            s.written > 0 && <div key={`d${s.start}`} className="seg done" style={bandStyle(band(s.start, doneEnd, size))} />,
            s.active && doneEnd < end && <div key={`f${s.start}`} className="seg inflight" style={bandStyle(band(doneEnd, end, size))} />,
          ];
        })}
      </div>
      {active.length > 0 && (
        <ol className="connection-bands" aria-label="Connections">
          {active.map((s, i) => {
            const end = (s.end ?? size - 1) + 1;
            const length = end - s.start;
            return (
              <li key={s.start} className="connection-band" title={`Connection ${i + 1}: bytes ${s.start}–${end - 1}, ${formatBytes(s.written)} of ${formatBytes(length)}`}>
                <span className="band-label">{i + 1}</span>
                <span className="band-track">
                  <span className="band-range" style={bandStyle(band(s.start, end, size))}>
                    <span className="band-fill" style={{ width: `${length > 0 ? (s.written / length) * 100 : 100}%` }} />
                  </span>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <div className="segment-legend" aria-hidden="true">
        <span className="legend-key done" /> Done
        <span className="legend-key inflight" /> Being fetched
        <span className="legend-key missing" /> Not yet
      </div>
    </div>
  );
}
