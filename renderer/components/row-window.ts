// Which rows the queue keeps in the DOM while it scrolls, and in what order, so that a scroll frame
// touches the DOM as rarely and as little as it can. Measured in headless Chromium on the 10,000-row
// queue (bench/ui.mjs's steady scroll, 3 rows a frame), the page's main thread went from ~10 to ~8 ms
// of CPU per frame, with style and layout down from ~3.2 to ~1.4 ms; the fling costs what it did.
import type { Range } from '@tanstack/react-virtual';

/**
 * A range extractor for @tanstack/react-virtual that moves the rendered window in whole blocks of
 * `block` rows, and never renders fewer rows than it once did. A steady scroll of a few rows a frame
 * then changes the DOM on one frame in `block`/(rows per frame) instead of on every frame; the frames
 * between are a pure scroll, as on a static page. Keeping the count up keeps every row element (and
 * its slot, see placeRows) alive: no row is unmounted at one block edge only to be rebuilt at the next.
 * Each call returns a new extractor with its own memory; keep one per list, stable between renders.
 */
export function blockRangeExtractor(block: number): (range: Range) => number[] {
  let most = 0;
  return ({ startIndex, endIndex, overscan, count }) => {
    let start = Math.max(0, Math.floor((startIndex - overscan) / block) * block);
    let end = Math.min(count - 1, (Math.floor((endIndex + overscan) / block) + 1) * block - 1);
    most = Math.max(most, end - start + 1);
    if (end - start + 1 < most) {
      end = Math.min(count - 1, start + most - 1);
      start = Math.max(0, end - most + 1);
    }
    const indexes = new Array<number>(Math.max(0, end - start + 1));
    for (let i = 0; i < indexes.length; i++) indexes[i] = start + i;
    return indexes;
  };
}

/**
 * Each of `items` (consecutive indexes, as the virtualizer returns them) with the slot that keys its
 * row element, in the DOM order to render them: slot order. Rows are placed by their own transform,
 * so the DOM order is free, and in slot order it stays the same while the list scrolls: React patches
 * a recycled row where it stands instead of moving it (a moved element is rebuilt: style, layout
 * tree, paint). Screen readers get each row's place from its aria-rowindex, as in any ARIA grid that
 * renders only some of its rows.
 * - Normally a row's slot is its index modulo `slots` (the most rows ever rendered), so the rows that
 *   stay in view from one frame to the next keep their elements and only the ones that scroll in
 *   take over the elements of the ones that scrolled out.
 * - In a `leap` (the view moved more than its height: a fling, a dragged scrollbar) no row stays, and
 *   the rows in view take the first slots in order: every one patches an element that already exists,
 *   where index-modulo slots would mount some and unmount others on every frame.
 */
export function placeRows<T extends { index: number }>(items: readonly T[], slots: number, leap: boolean): { item: T; slot: number }[] {
  if (leap) return items.map((item, slot) => ({ item, slot }));
  const placed = items.map((item) => ({ item, slot: item.index % slots }));
  for (let i = 1; i < placed.length; i++) {
    if (placed[i]!.slot < placed[i - 1]!.slot) return [...placed.slice(i), ...placed.slice(0, i)];
  }
  return placed;
}
