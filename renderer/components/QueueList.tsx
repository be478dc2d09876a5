// The queue, virtualized: only the rows in view (plus a few) are in the DOM. Row elements are
// recycled: each is keyed by its slot (index modulo the most rows ever shown), so a row that
// scrolls out hands its element to the one scrolling in, and a fast scroll patches text in place
// instead of building and tearing down a whole row per download per frame. A slower scroll moves the
// rendered rows in blocks (row-window.ts), so most of its frames change no DOM at all. Rows have one
// fixed height, which keeps the virtualizer's arithmetic exact for 10,000 downloads (and lets it key
// its size cache by index).
import { defaultRangeExtractor, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import { actions } from '../actions.js';
import { ROW_DRAG_TYPE } from '../drop/read-transfer.js';
import { useDownloads } from '../state/downloads-store.js';
import { moveTarget } from '../state/reorder.js';
import { clickSelect } from '../state/selection.js';
import { useUi } from '../state/ui-store.js';
import { useVisibleIds } from '../state/visible.js';
import { QueueRow } from './QueueRow.js';
import { blockRangeExtractor, placeRows } from './row-window.js';
import { useQueueKeys } from './use-queue-keys.js';

export const ROW_HEIGHT = 48;
/** Rows rendered beyond each edge of the view: enough for a wheel step. A scroll that moves more
 * than a view per frame (a fling, a dragged scrollbar, Home/End) replaces every row each frame, so
 * rows beyond the edges could never be reused: none are built until the scroll slows or settles. */
const OVERSCAN = 3;
/**
 * The rendered rows move by this many at a time while the scroll is slower than a view per frame.
 * At a steady 3 rows a frame, blocks of 4 patch 4 rows every frame or two, where blocks of 8 patch
 * 8 every third frame (a taller spike): fewer late frames in bench/ui-ab.mjs (2 of ~2500 against 8,
 * 7 alternating runs each; 16 and 2 were worse still). See docs/performance.md.
 */
const ROW_BLOCK = 4;
const rowSize = () => ROW_HEIGHT;

export function QueueList() {
  const visible = useVisibleIds();
  const scrollRef = useRef<HTMLDivElement>(null);
  const anchor = useUi((s) => s.selection.anchor);
  const [dropMark, setDropMark] = useState<{ id: number; after: boolean } | null>(null);

  // Stable between renders: new options functions make the virtualizer recompute every row's position.
  const getScrollElement = useCallback(() => scrollRef.current, []);
  // How far the view moved since the last render, from the virtualizer's state (it renders this
  // component on every scroll frame that changes the rows, and once more when the scroll settles).
  const instance = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  const lastOffset = useRef(0);
  const [inBlocks] = useState(() => blockRangeExtractor(ROW_BLOCK));
  const offset = instance.current?.scrollOffset ?? 0;
  const leaping = Boolean(instance.current?.isScrolling) && Math.abs(offset - lastOffset.current) > (instance.current?.scrollRect?.height ?? Infinity);
  lastOffset.current = offset;
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement,
    estimateSize: rowSize,
    overscan: leaping ? 0 : OVERSCAN,
    rangeExtractor: leaping ? defaultRangeExtractor : inBlocks,
  });
  instance.current = virtualizer;
  // Only grows, so the rows in view (a contiguous run no longer than it) always have distinct slots.
  const slots = useRef(1);
  useQueueKeys(visible, (index) => virtualizer.scrollToIndex(index, { align: 'auto' }));

  const onClick = useCallback(
    (id: number, e: MouseEvent) => {
      const ui = useUi.getState();
      ui.setSelection(clickSelect(ui.selection, visible, id, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey }));
    },
    [visible],
  );
  const onOpen = useCallback((id: number) => {
    if (useDownloads.getState().byId[id]?.status === 'completed') void actions.openFile(id);
  }, []);
  const onDragOverRow = useCallback((id: number, e: DragEvent<HTMLDivElement>) => {
    if (!e.dataTransfer.types.includes(ROW_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const rect = e.currentTarget.getBoundingClientRect();
    const after = e.clientY > rect.top + rect.height / 2;
    setDropMark((m) => (m && m.id === id && m.after === after ? m : { id, after }));
  }, []);
  const onDropRow = useCallback((id: number, e: DragEvent<HTMLDivElement>) => {
    const dragged = Number(e.dataTransfer.getData(ROW_DRAG_TYPE));
    if (!dragged) return;
    e.preventDefault();
    const rect = e.currentTarget.getBoundingClientRect();
    const after = e.clientY > rect.top + rect.height / 2;
    setDropMark(null);
    // The engine counts positions over the whole queue, not just the rows the filter shows.
    const to = moveTarget(useDownloads.getState().order, dragged, id, after);
    if (to !== null) void actions.move(dragged, to);
  }, []);

  const items = virtualizer.getVirtualItems();
  slots.current = Math.max(slots.current, items.length);
  const rows = placeRows(items, slots.current, leaping);
  const anchorShown = anchor !== null && items.some((item) => visible[item.index] === anchor);

  return (
    <div
      className="queue"
      role="grid"
      aria-label="Downloads"
      aria-rowcount={visible.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={anchorShown ? `download-${anchor}` : undefined}
      tabIndex={0}
    >
      <div className="queue-head" role="rowgroup">
        <div className="row head" role="row" aria-rowindex={1}>
          <div className="cell name" role="columnheader">Name</div>
          <div className="cell size num" role="columnheader">Size</div>
          <div className="cell progress-cell" role="columnheader">Progress</div>
          <div className="cell speed num" role="columnheader">Speed</div>
          <div className="cell eta num" role="columnheader">Time left</div>
          <div className="cell status" role="columnheader">Status</div>
          <div className="cell conns num" role="columnheader" title="Connections">Conn.</div>
        </div>
      </div>
      <div className="queue-scroll" ref={scrollRef} onDragEnd={() => setDropMark(null)} onDragLeave={(e) => e.currentTarget === e.target && setDropMark(null)}>
        <div className="queue-rows" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map(({ item, slot }) => {
            const id = visible[item.index]!;
            return (
              <QueueRow
                key={slot}
                id={id}
                index={item.index}
                start={item.start}
                dropMark={dropMark?.id === id ? (dropMark.after ? 'after' : 'before') : null}
                onClick={onClick}
                onOpen={onOpen}
                onDragOverRow={onDragOverRow}
                onDropRow={onDropRow}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
