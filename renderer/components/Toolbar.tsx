// The top bar: add links, pause or resume everything, act on the selection, find a download.
// Selection buttons are enabled only when at least one selected row allows the action, and each
// action applies to the rows it makes sense for (Pause on a mixed selection pauses the running ones).
import { actions } from '../actions.js';
import { can } from '../format/status.js';
import { useSelected } from '../state/use-selected.js';
import { useUi, type StatusFilter } from '../state/ui-store.js';
import { Icon, type IconName } from './Icon.js';

const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'downloading', label: 'Downloading' },
  { value: 'queued', label: 'Queued' },
  { value: 'paused', label: 'Paused' },
  { value: 'completed', label: 'Completed' },
  { value: 'failed', label: 'Failed' },
  { value: 'canceled', label: 'Canceled' },
];

function ToolButton(props: { icon: IconName; label: string; onClick: () => void; disabled?: boolean; text?: boolean; primary?: boolean }) {
  return (
    <button
      type="button"
      className={`tool${props.primary ? ' primary' : ''}${props.text ? '' : ' icon-only'}`}
      aria-label={props.label}
      title={props.label}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      <Icon name={props.icon} />
      {props.text && <span>{props.label}</span>}
    </button>
  );
}

export function Toolbar() {
  const { ids, statuses } = useSelected();
  const filter = useUi((s) => s.filter);
  const search = useUi((s) => s.search);
  const ui = useUi.getState();
  const any = (test: (s: (typeof statuses)[number]) => boolean) => statuses.some(test);
  const single = ids.length === 1 ? ids[0]! : null;

  return (
    <header className="toolbar" role="toolbar" aria-label="Actions">
      <div className="tool-group">
        <ToolButton icon="add" label="Add" text primary onClick={() => ui.openDialog({ kind: 'add', urls: [] })} />
        <ToolButton icon="pause" label="Pause all" text onClick={() => void actions.pauseAll()} />
        <ToolButton icon="play" label="Resume all" text onClick={() => void actions.resumeAll()} />
      </div>
      <div className="tool-group" role="group" aria-label="Selected downloads">
        <ToolButton icon="pause" label="Pause" disabled={!any(can.pause)} onClick={() => void actions.pause(ids)} />
        <ToolButton icon="play" label="Resume" disabled={!any(can.resume)} onClick={() => void actions.resume(ids)} />
        <ToolButton icon="retry" label="Retry" disabled={!any(can.retry)} onClick={() => void actions.retry(ids)} />
        <ToolButton icon="stop" label="Cancel" disabled={!any(can.cancel)} onClick={() => void actions.cancel(ids)} />
        <ToolButton icon="trash" label="Remove" disabled={ids.length === 0} onClick={() => ui.openDialog({ kind: 'remove', ids })} />
        <ToolButton
          icon="open"
          label="Open"
          disabled={single === null || !can.open(statuses[0]!)}
          onClick={() => single !== null && void actions.openFile(single)}
        />
        <ToolButton icon="folder" label="Show in folder" disabled={single === null} onClick={() => single !== null && void actions.showInFolder(single)} />
      </div>
      <div className="tool-spacer" />
      <div className="tool-group">
        <label className="search">
          <Icon name="search" />
          <input
            type="search"
            placeholder="Search"
            aria-label="Search downloads"
            value={search}
            onChange={(e) => ui.setSearch(e.target.value)}
          />
        </label>
        <select aria-label="Show" value={filter} onChange={(e) => ui.setFilter(e.target.value as StatusFilter)}>
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <ToolButton icon="gear" label="Settings" onClick={() => ui.openDialog({ kind: 'settings' })} />
      </div>
    </header>
  );
}
