// The settings. Each change goes to main at once (no Save button to forget); main validates,
// stores, and answers with the settings as they now are, which is what the panel then shows.
import { useId } from 'react';
import type { AppSettings, DropAction, Theme } from '../../preload/contract.js';
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

          <Check
            settings={settings}
            name="adaptiveConnections"
            title="A download faster than 200 MiB/s tries two connections for a moment, and keeps to two when they fetch it as fast as all of them. Checked again every minute."
          >
            Use fewer connections when they are as fast
          </Check>

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

          <Check settings={settings} name="keepRunningInTray">
            Keep downloading in the tray when the window is closed
          </Check>

          <Check settings={settings} name="notifications">
            Notify me when a download finishes or fails
          </Check>
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

type OnOff = 'adaptiveConnections' | 'keepRunningInTray' | 'notifications';

/** An on/off setting: a checkbox in the grid's second column, sent to main when clicked. */
function Check({ settings, name, title, children }: { settings: AppSettings; name: OnOff; title?: string; children: string }) {
  return (
    <>
      <span />
      <label className="check" title={title}>
        <input type="checkbox" checked={settings[name]} onChange={(e) => void actions.updateSettings({ [name]: e.target.checked })} />
        {children}
      </label>
    </>
  );
}
