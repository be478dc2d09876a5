// What the window shows besides the queue: the selection, the filter and search, which dialog is
// open and the messages for the user. Kept apart from the downloads store so a progress tick
// never touches it, and a click never copies 10,000 snapshots.
import { create } from 'zustand';
import type { DownloadStatus } from '../../main/engine/model.js';
import { EMPTY_SELECTION, type Selection } from './selection.js';

export type StatusFilter = 'all' | 'active' | DownloadStatus;

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

export type Dialog =
  | { kind: 'add'; urls: string[] }
  | { kind: 'remove'; ids: number[] }
  | { kind: 'settings' }
  | null;

export interface UiStore {
  selection: Selection;
  filter: StatusFilter;
  search: string;
  dialog: Dialog;
  notices: Notice[];
  setSelection(selection: Selection): void;
  setFilter(filter: StatusFilter): void;
  setSearch(search: string): void;
  openDialog(dialog: Dialog): void;
  closeDialog(): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

let nextNoticeId = 1;
/** Enough to see what happened recently without the messages taking over the window. */
const MAX_NOTICES = 3;

export const useUi = create<UiStore>()((set) => ({
  selection: EMPTY_SELECTION,
  filter: 'all',
  search: '',
  dialog: null,
  notices: [],
  setSelection: (selection) => set({ selection }),
  setFilter: (filter) => set({ filter }),
  setSearch: (search) => set({ search }),
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: null }),
  notify: (kind, text) =>
    set((s) => {
      // The same message twice in a row (two refused drops) shows once.
      const notices = s.notices.filter((n) => n.text !== text);
      return { notices: [...notices, { id: nextNoticeId++, kind, text }].slice(-MAX_NOTICES) };
    }),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
