// Keyboard control of the queue: Delete asks to remove, Space pauses or resumes, Ctrl+A selects
// every shown row, arrows/Home/End move the selection, Enter opens a completed file. Listened for
// on the window so it works whether the list or the page has focus, but never while the user is
// typing in a field, working a button, or looking at a dialog.
import { useEffect, useRef } from 'react';
import { actions } from '../actions.js';
import { selectAll, stepSelect } from '../state/selection.js';
import { useDownloads } from '../state/downloads-store.js';
import { useUi } from '../state/ui-store.js';

function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, button, a, [role="dialog"]') !== null;
}

export function useQueueKeys(visible: readonly number[], scrollToIndex: (index: number) => void): void {
  // The listener is installed once; it reads the latest rows through a ref.
  const latest = useRef({ visible, scrollToIndex });
  latest.current = { visible, scrollToIndex };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState();
      if (ui.dialog !== null || ownsKeys(e.target) || e.altKey) return;
      const { visible: rows, scrollToIndex: scroll } = latest.current;
      const ids = [...ui.selection.ids];
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'a') {
        e.preventDefault();
        ui.setSelection(selectAll(rows));
      } else if (e.key === 'Delete' && !mod) {
        if (ids.length === 0) return;
        e.preventDefault();
        ui.openDialog({ kind: 'remove', ids });
      } else if (e.key === ' ' && !mod) {
        e.preventDefault();
        if (ids.length > 0) void actions.togglePause(ids);
      } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && !mod) {
        e.preventDefault();
        const next = stepSelect(ui.selection, rows, e.key === 'ArrowDown' ? 1 : -1);
        ui.setSelection(next);
        if (next.anchor !== null) scroll(rows.indexOf(next.anchor));
      } else if ((e.key === 'Home' || e.key === 'End') && !mod && rows.length > 0) {
        e.preventDefault();
        const index = e.key === 'Home' ? 0 : rows.length - 1;
        const id = rows[index]!;
        ui.setSelection({ ids: new Set([id]), anchor: id });
        scroll(index);
      } else if (e.key === 'Enter' && ids.length === 1) {
        const d = useDownloads.getState().byId[ids[0]!];
        if (d?.status === 'completed') void actions.openFile(d.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
