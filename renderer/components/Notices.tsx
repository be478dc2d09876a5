// Messages for the user (a refused link, an action main could not do). Errors are announced
// assertively; information politely. Each goes away by itself after a while or with its button.
import { useEffect } from 'react';
import { useUi, type Notice } from '../state/ui-store.js';
import { Icon } from './Icon.js';

const LIFETIME_MS = { info: 6000, error: 12000 } as const;

function NoticeItem({ notice }: { notice: Notice }) {
  const dismiss = useUi((s) => s.dismiss);
  useEffect(() => {
    const timer = setTimeout(() => dismiss(notice.id), LIFETIME_MS[notice.kind]);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  return (
    <li className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span className="notice-text">{notice.text}</span>
      <button type="button" className="icon-only" aria-label="Dismiss" title="Dismiss" onClick={() => dismiss(notice.id)}>
        <Icon name="close" size={14} />
      </button>
    </li>
  );
}

export function Notices() {
  const notices = useUi((s) => s.notices);
  return (
    <ul className="notices" aria-label="Messages">
      {notices.map((n) => (
        <NoticeItem key={n.id} notice={n} />
      ))}
    </ul>
  );
}
