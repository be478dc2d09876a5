// The selected downloads in queue order, for the toolbar's buttons and the keyboard. Subscribes to
// statuses only through a derived string, so a byte tick does not re-render the toolbar.
import { useMemo } from 'react';
import type { DownloadStatus } from '../../main/engine/model.js';
import { useDownloads } from './downloads-store.js';
import { useUi } from './ui-store.js';

export interface SelectedInfo {
  ids: number[];
  statuses: DownloadStatus[];
}

export function useSelected(): SelectedInfo {
  const selection = useUi((s) => s.selection);
  const key = useDownloads((s) => {
    let out = '';
    for (const id of selection.ids) {
      const d = s.byId[id];
      if (d) out += `${id}:${d.status},`;
    }
    return out;
  });
  return useMemo(() => {
    const ids: number[] = [];
    const statuses: DownloadStatus[] = [];
    for (const part of key.split(',')) {
      if (!part) continue;
      const [id, status] = part.split(':');
      ids.push(Number(id));
      statuses.push(status as DownloadStatus);
    }
    return { ids, statuses };
  }, [key]);
}
