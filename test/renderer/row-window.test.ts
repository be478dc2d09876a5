// Which rows the queue renders while it scrolls (renderer/components/row-window.ts): every row in
// view is always rendered, the rendered set changes only at block edges, and the rows' DOM order
// (their slot order) stays the same from one scroll frame to the next.
import { describe, expect, it } from 'vitest';
import { blockRangeExtractor, placeRows } from '../../renderer/components/row-window.js';

const COUNT = 10_000;
const IN_VIEW = 13; // rows a 600 px view of 48 px rows touches
const OVERSCAN = 3;
const BLOCK = 8;

/** The virtualizer's range for a view whose first row is `top`. */
const rangeAt = (top: number, count = COUNT) => ({ startIndex: top, endIndex: Math.min(count - 1, top + IN_VIEW - 1), overscan: OVERSCAN, count });

function isConsecutive(indexes: readonly number[]): boolean {
  return indexes.every((v, i) => i === 0 || v === indexes[i - 1]! + 1);
}

describe('blockRangeExtractor', () => {
  it('renders every row in view and the overscan, wherever the view is', () => {
    const extract = blockRangeExtractor(BLOCK);
    for (let top = 0; top <= COUNT - IN_VIEW; top += 7) {
      const indexes = extract(rangeAt(top));
      expect(isConsecutive(indexes)).toBe(true);
      expect(indexes[0]).toBeLessThanOrEqual(Math.max(0, top - OVERSCAN));
      expect(indexes.at(-1)).toBeGreaterThanOrEqual(Math.min(COUNT - 1, top + IN_VIEW - 1 + OVERSCAN));
      expect(indexes.length).toBeLessThanOrEqual(IN_VIEW + 2 * OVERSCAN + 2 * BLOCK);
    }
    expect(extract(rangeAt(COUNT - IN_VIEW)).at(-1)).toBe(COUNT - 1);
  });

  it('changes the rendered rows once a block, not on every frame of a steady scroll', () => {
    const extract = blockRangeExtractor(BLOCK);
    for (let top = 4900; top < 5000; top += 3) extract(rangeAt(top)); // the window has found its size
    let previous = extract(rangeAt(5000)).join();
    let changes = 0;
    const frames = 300;
    for (let frame = 1; frame <= frames; frame++) {
      const now = extract(rangeAt(5000 + 3 * frame)).join(); // 3 rows a frame, as a fast wheel
      if (now !== previous) changes++;
      previous = now;
    }
    expect(changes).toBeLessThanOrEqual(Math.ceil((3 * frames) / BLOCK));
    expect(changes).toBeGreaterThan(0);
  });

  it('never renders fewer rows than it once did, so no row element is torn down at a block edge', () => {
    const extract = blockRangeExtractor(BLOCK);
    let most = 0;
    for (let top = 2000; top < 2400; top++) {
      const n = extract(rangeAt(top)).length;
      expect(n).toBeGreaterThanOrEqual(most);
      most = Math.max(most, n);
    }
    // Back at the top of the list the same number of rows is kept, counted down from the end.
    const atTop = extract(rangeAt(0));
    expect(atTop[0]).toBe(0);
    expect(atTop).toHaveLength(most);
  });

  it('renders a list shorter than the rows it once kept in whole', () => {
    const extract = blockRangeExtractor(BLOCK);
    extract(rangeAt(500));
    expect(extract(rangeAt(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(extract(rangeAt(0, 1))).toEqual([0]);
  });
});

describe('placeRows', () => {
  const items = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ index: from + i }));
  const slotsOf = (placed: { slot: number }[]) => placed.map((p) => p.slot);

  it('keeps the same slots in the same DOM order for every window of the same size, so React moves no row', () => {
    const slots = 32;
    const first = slotsOf(placeRows(items(0, slots), slots, false));
    expect(first).toEqual(Array.from({ length: slots }, (_, i) => i));
    for (let from = 1; from < 200; from += 3) {
      const placed = placeRows(items(from, slots), slots, false);
      expect(slotsOf(placed)).toEqual(first);
      // A row that stays in view keeps its slot, i.e. its element.
      for (const { item, slot } of placed) expect(slot).toBe(item.index % slots);
    }
  });

  it('places every row once', () => {
    const window = items(37, 20);
    const placed = placeRows(window, 32, false);
    expect(placed.map((p) => p.item.index).sort((a, b) => a - b)).toEqual(window.map((item) => item.index));
    expect(new Set(slotsOf(placed)).size).toBe(20);
    expect(placeRows([], 32, false)).toEqual([]);
  });

  it('gives the rows of a leap the first slots, in view order, whatever their indexes', () => {
    for (const from of [0, 5, 613, 9987]) {
      const placed = placeRows(items(from, 13), 32, true);
      expect(slotsOf(placed)).toEqual(Array.from({ length: 13 }, (_, i) => i));
      expect(placed.map((p) => p.item.index)).toEqual(items(from, 13).map((item) => item.index));
    }
  });
});
