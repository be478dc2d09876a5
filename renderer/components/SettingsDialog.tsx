// The settings. Each change goes to main at once (no Save button to forget); main validates,
// stores, and answers with the settings as they now are, which is what the panel then shows.
import { useId } from 'react';
import type { DropAction, Theme } from '../../preload/contract.js';
import { actions } from '../actions.js';
import { useSettings } from '../state/settings-store.js';
import { useUi } from '../state/ui-store.js';
import { Modal } from './Modal.js';
import { NumberField } from './NumberField.js';

export function SettingsDialog() {
  const settings = useSettings((s) => s.settings);
  const close = useUi((s) => s.closeDialog);
  const id = useId();

  return (
    <Modal title="Settings" onClose={close} className="settings-dialog">
      {!settings ? (
        <p>Loading…</p>
      ) : (
        <div className="settings-grid">
          <span className="field-label" id={`${id}-folder`}>
            Download folder
          </span>
          <div className="field-row">
            <output className="folder-path" aria-labelledby={`${id}-folder`} title={settings.downloadDirectory}>
              {settings.downloadDirectory}
            </output>
            <button type="button" onClick={() => void actions.pickDownloadFolder()}>
              Change…
            </button>
          </div>

          <label htmlFor={`${id}-max`}>Downloads at a time</label>
          <NumberField id={`${id}-max`} value={settings.maxConcurrent} min={1} max={100} onCommit={(maxConcurrent) => void actions.updateSettings({ maxConcurrent })} />

          <label htmlFor={`${id}-conns`}>Connections per download</label>
          <NumberField id={`${id}-conns`} value={settings.connections} min={1} max={32} onCommit={(connections) => void actions.updateSettings({ connections })} />

          <span />
          <label className="check" title="A download faster than 200 MiB/s tries two connections for a moment, and keeps to two when they fetch it as fast as all of them. Checked again every minute.">
            <input
              type="checkbox"
              checked={settings.adaptiveConnections}
              onChange={(e) => void actions.updateSettings({ adaptiveConnections: e.target.checked })}
            />
            Use fewer connections when they are as fast
          </label>

          <label htmlFor={`${id}-drop`}>Dropped or pasted links</label>
          <select
            id={`${id}-drop`}
            value={settings.dropAction}
            onChange={(e) => void actions.updateSettings({ dropAction: e.target.value as DropAction })}
          >
            <option value="ask">Open the Add dialog</option>
            <option value="add">Add them straight away</option>
          </select>

          <label htmlFor={`${id}-theme`}>Theme</label>
          <select id={`${id}-theme`} value={settings.theme} onChange={(e) => void actions.updateSettings({ theme: e.target.value as Theme })}>
            <option value="system">Same as the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>

          <span />
          <label className="check">
            <input
              type="checkbox"
              checked={settings.keepRunningInTray}
              onChange={(e) => void actions.updateSettings({ keepRunningInTray: e.target.checked })}
            />
            Keep downloading in the tray when the window is closed
          </label>

          <span />
          <label className="check">
            <input
              type="checkbox"
              checked={settings.notifications}
              onChange={(e) => void actions.updateSettings({ notifications: e.target.checked })}
            />
            Notify me when a download finishes or fails
          </label>
        </div>
      )}
      <footer className="dialog-buttons">
        <button type="button" className="primary" onClick={close}>
          Done
        </button>
      </footer>
    </Modal>
  );
}
