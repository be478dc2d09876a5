// One download in the list. It selects its own snapshot by id, so a progress batch re-renders only
// the rows whose downloads changed. Rows are draggable to reorder the queue.
import { memo, type DragEvent, type MouseEvent } from 'react';
import { formatBytes, formatSpeed, percentDone } from '../format/bytes.js';
import { formatEta } from '../format/duration.js';
import { connectionTrialNote, displayName, statusLabel } from '../format/status.js';
import { ROW_DRAG_TYPE } from '../drop/read-transfer.js';
import { useDownloads } from '../state/downloads-store.js';
import { useUi } from '../state/ui-store.js';
import { ProgressBar } from './ProgressBar.js';

export type DropMark = 'before' | 'after' | null;

export interface RowProps {
  id: number;
  index: number;
  start: number;
  dropMark: DropMark;
  onClick(id: number, e: MouseEvent): void;
  onOpen(id: number): void;
  onDragOverRow(id: number, e: DragEvent<HTMLDivElement>): void;
  onDropRow(id: number, e: DragEvent<HTMLDivElement>): void;
}

export const QueueRow = memo(function QueueRow(props: RowProps) {
  const { id, index, start, dropMark } = props;
  const d = useDownloads((s) => s.byId[id]);
  const selected = useUi((s) => s.selection.ids.has(id));
  if (!d) return null;
  const name = displayName(d);
  const failed = d.status === 'failed' && d.error;
  const running = d.status === 'downloading' || d.status === 'probing';
  const trialNote = connectionTrialNote(d.connectionTrial);
  const percent = d.status === 'completed' ? 100 : percentDone(d.downloaded, d.size);
  // An unknown size animates only while bytes are flowing; a stopped one is just an empty bar.
  const barPercent = percent ?? (running ? null : 0);
  // A download without Content-Length has no size until it completes; then its bytes are its size.
  const sizeText = formatBytes(d.size ?? (d.status === 'completed' ? d.downloaded : null));

  return (
    <div
      id={`download-${id}`}
      className={`row status-${d.status}${selected ? ' selected' : ''}${dropMark ? ` drop-${dropMark}` : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      style={{ transform: `translateY(${start}px)` }}
      draggable
      onClick={(e) => props.onClick(id, e)}
      onDoubleClick={() => props.onOpen(id)}
      onDragStart={(e) => {
        e.dataTransfer.setData(ROW_DRAG_TYPE, String(id));
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => props.onDragOverRow(id, e)}
      onDrop={(e) => props.onDropRow(id, e)}
    >
      <div className="cell name" role="gridcell">
        <span className="file-name" title={name}>
          {name}
        </span>
        <span className={failed ? 'sub error-text' : 'sub'} title={failed ? d.error!.message : d.url}>
          {failed ? d.error!.message : d.url}
        </span>
      </div>
      <div className="cell size num" role="gridcell">
        {sizeText}
      </div>
      <div className="cell progress-cell" role="gridcell">
        <ProgressBar percent={barPercent} label={`${name} progress`} tone={d.status} subject={id} />
        <span className="num percent">{percent !== null ? `${percent}%` : running || d.downloaded > 0 ? formatBytes(d.downloaded) : ''}</span>
      </div>
      <div className="cell speed num" role="gridcell">
        {running ? formatSpeed(d.speed) : ''}
      </div>
      <div className="cell eta num" role="gridcell">
        {running ? formatEta(d.eta) : ''}
      </div>
      <div className="cell status" role="gridcell" title={failed ? d.error!.message : undefined}>
        <span className={`badge ${d.status}`}>{statusLabel(d.status)}</span>
      </div>
      <div className="cell conns num" role="gridcell" title={`Connections in use / wanted${trialNote ? ` (${trialNote})` : ''}`}>
        {running ? `${d.activeConnections}/${d.connections}` : d.connections}
      </div>
    </div>
  );
});
