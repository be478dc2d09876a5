// Where a dragged row lands, as the engine's `move(id, toIndex)` counts: the index in the queue
// with the dragged download already taken out. Dropping on the lower half of a row means "after it".

export function moveTarget(order: readonly number[], draggedId: number, targetId: number, after: boolean): number | null {
  const from = order.indexOf(draggedId);
  const target = order.indexOf(targetId);
  if (from === -1 || target === -1 || draggedId === targetId) return null;
  let to = after ? target + 1 : target;
  if (from < to) to -= 1;
  return to === from ? null : to;
}
