// Removing asks one question: keep the file on disk or delete it too. Keeping is the default
// (focused) answer, because a deleted file cannot be brought back and a kept one costs nothing.
import { useState } from 'react';
import { actions } from '../actions.js';
import { displayName } from '../format/status.js';
import { useDownloads } from '../state/downloads-store.js';
import { useUi } from '../state/ui-store.js';
import { Modal } from './Modal.js';

export function RemoveDialog({ ids }: { ids: number[] }) {
  const close = useUi((s) => s.closeDialog);
  const first = useDownloads((s) => s.byId[ids[0]!]);
  const [busy, setBusy] = useState(false);
  const what = ids.length === 1 && first ? `“${displayName(first)}”` : `${ids.length} downloads`;

  async function remove(deleteFile: boolean) {
    setBusy(true);
    await actions.remove(ids, deleteFile);
    close();
  }

  return (
    <Modal title={ids.length === 1 ? 'Remove download' : 'Remove downloads'} onClose={close} className="remove-dialog">
      <p>
        Remove {what} from the list? The file{ids.length === 1 ? '' : 's'} can stay on disk or be deleted.
      </p>
      <footer className="dialog-buttons">
        <button type="button" onClick={close} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void remove(true)} disabled={busy}>
          Remove and delete file{ids.length === 1 ? '' : 's'}
        </button>
        <button type="button" className="primary" data-autofocus onClick={() => void remove(false)} disabled={busy}>
          Remove, keep file{ids.length === 1 ? '' : 's'}
        </button>
      </footer>
    </Modal>
  );
}
