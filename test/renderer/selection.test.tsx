import { describe, expect, it } from 'vitest';
import { moveTarget } from '../../renderer/state/reorder.js';
import { clickSelect, EMPTY_SELECTION, pruneSelection, selectAll, stepSelect } from '../../renderer/state/selection.js';

const rows = [10, 20, 30, 40, 50];
const plain = { shift: false, toggle: false };

describe('selection', () => {
  it('a click selects one row', () => {
    const s = clickSelect(EMPTY_SELECTION, rows, 30, plain);
    expect([...s.ids]).toEqual([30]);
    expect(s.anchor).toBe(30);
  });
  it('Ctrl toggles rows in and out', () => {
    let s = clickSelect(EMPTY_SELECTION, rows, 20, plain);
    s = clickSelect(s, rows, 40, { shift: false, toggle: true });
    expect([...s.ids].sort()).toEqual([20, 40]);
    s = clickSelect(s, rows, 20, { shift: false, toggle: true });
    expect([...s.ids]).toEqual([40]);
  });
  it('Shift selects the range from the anchor, in either direction', () => {
    let s = clickSelect(EMPTY_SELECTION, rows, 40, plain);
    s = clickSelect(s, rows, 20, { shift: true, toggle: false });
    expect([...s.ids]).toEqual([20, 30, 40]);
    expect(s.anchor).toBe(40);
  });
  it('Shift+Ctrl adds the range to the selection', () => {
    let s = clickSelect(EMPTY_SELECTION, rows, 10, plain);
    s = clickSelect(s, rows, 40, { shift: false, toggle: true });
    s = clickSelect(s, rows, 50, { shift: true, toggle: true });
    expect([...s.ids].sort()).toEqual([10, 40, 50]);
  });
  it('select all, step, prune', () => {
    expect(selectAll(rows).ids.size).toBe(5);
    const s = stepSelect(clickSelect(EMPTY_SELECTION, rows, 50, plain), rows, 1);
    expect([...s.ids]).toEqual([50]);
    expect(stepSelect(EMPTY_SELECTION, rows, 1).anchor).toBe(10);
    const pruned = pruneSelection(selectAll(rows), (id) => id !== 10);
    expect([...pruned.ids]).toEqual([20, 30, 40, 50]);
    expect(pruned.anchor).toBeNull();
    const same = selectAll(rows);
    expect(pruneSelection(same, () => true)).toBe(same);
  });
});

describe('moveTarget (drag to reorder)', () => {
  it.each([
    // dragged, target, after → engine toIndex
    [10, 40, false, 2],
    [10, 40, true, 3],
    [50, 10, false, 0],
    [50, 20, true, 2],
    [30, 30, false, null],
    [30, 20, true, null],
    [30, 40, false, null],
  ])('drag %s onto %s (after: %s) → %s', (dragged, target, after, to) => {
    expect(moveTarget(rows, dragged, target, after)).toBe(to);
  });
});
