// Multi-select as file managers do it: a click selects one row, Ctrl (⌘) toggles a row, Shift
// selects the range from the anchor (the last plain or Ctrl click) to the clicked row, in the
// order the user sees. Pure, so the rules are tested without a DOM.

export interface Selection {
  ids: ReadonlySet<number>;
  anchor: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export interface ClickModifiers {
  shift: boolean;
  toggle: boolean;
}

export function clickSelect(sel: Selection, visible: readonly number[], id: number, mods: ClickModifiers): Selection {
  if (mods.shift && sel.anchor !== null) {
    const from = visible.indexOf(sel.anchor);
    const to = visible.indexOf(id);
    if (from !== -1 && to !== -1) {
      const [lo, hi] = from < to ? [from, to] : [to, from];
      const range = visible.slice(lo, hi + 1);
      // Shift+Ctrl adds the range to what was selected; plain Shift replaces it.
      const ids = new Set(mods.toggle ? [...sel.ids, ...range] : range);
      return { ids, anchor: sel.anchor };
    }
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id };
  }
  return { ids: new Set([id]), anchor: id };
}

export function selectAll(visible: readonly number[]): Selection {
  return { ids: new Set(visible), anchor: visible[0] ?? null };
}

/** Drops ids that no longer exist (removed downloads), keeping the object when nothing changed. */
export function pruneSelection(sel: Selection, exists: (id: number) => boolean): Selection {
  let changed = false;
  const ids = new Set<number>();
  for (const id of sel.ids) {
    if (exists(id)) ids.add(id);
    else changed = true;
  }
  if (!changed && (sel.anchor === null || exists(sel.anchor))) return sel;
  return { ids, anchor: sel.anchor !== null && exists(sel.anchor) ? sel.anchor : null };
}

/** Arrow keys: the row next to the anchor becomes the only selected one. */
export function stepSelect(sel: Selection, visible: readonly number[], delta: number): Selection {
  if (visible.length === 0) return sel;
  const at = sel.anchor === null ? -1 : visible.indexOf(sel.anchor);
  const index = at === -1 ? (delta > 0 ? 0 : visible.length - 1) : Math.max(0, Math.min(visible.length - 1, at + delta));
  const id = visible[index]!;
  return { ids: new Set([id]), anchor: id };
}
