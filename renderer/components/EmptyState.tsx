// What a new user sees: where to put a link. The drop works anywhere on the window; this is only
// the invitation.
import { useUi } from '../state/ui-store.js';
import { Icon } from './Icon.js';

export function EmptyState({ filtered }: { filtered: boolean }) {
  const open = useUi((s) => s.openDialog);
  if (filtered) {
    return (
      <div className="empty">
        <p className="empty-title">No downloads match</p>
        <p className="empty-hint">Clear the search or pick another status to see the rest of the queue.</p>
      </div>
    );
  }
  return (
    <div className="empty">
      <div className="empty-drop">
        <Icon name="download" size={40} />
        <p className="empty-title">Drop a link here</p>
        <p className="empty-hint">
          Drag links or .txt lists from your browser or file manager, press <kbd>Ctrl</kbd>+<kbd>V</kbd> to paste them, or{' '}
          <button type="button" className="link" onClick={() => open({ kind: 'add', urls: [] })}>
            add them by hand
          </button>
          .
        </p>
      </div>
    </div>
  );
}
