// Add downloads: links one per line, the folder (the default, or one picked in main's OS dialog,
// known to us only by id and shown by path), connections, and a file name when there is a single
// link. Main validates every link; the ones it refuses stay in the box with main's reason, so the
// user can fix them and press Add again.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AddResponse, FolderChoice } from '../../preload/contract.js';
import { actions } from '../actions.js';
import { uriListLines } from '../drop/extract-urls.js';
import { call, ferry, messageOf } from '../ferry.js';
import { useSettings } from '../state/settings-store.js';
import { useUi } from '../state/ui-store.js';
import { Modal } from './Modal.js';

const MIN_CONNECTIONS = 1;
const MAX_CONNECTIONS = 32;

export function AddDialog({ urls }: { urls: string[] }) {
  const settings = useSettings((s) => s.settings);
  const close = useUi((s) => s.closeDialog);
  const [text, setText] = useState(() => urls.join('\n'));
  const [folder, setFolder] = useState<FolderChoice | null>(null);
  const [connections, setConnections] = useState(String(settings?.connections ?? 8));
  const [fileName, setFileName] = useState('');
  const [checksum, setChecksum] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rejected, setRejected] = useState<AddResponse['rejected']>([]);
  const ids = { links: useId(), conns: useId(), name: useId(), folder: useId(), sum: useId() };

  // Links dropped while the dialog is open join the ones already in the box.
  const shown = useRef(urls);
  useEffect(() => {
    if (shown.current === urls) return;
    const fresh = urls.filter((u) => !shown.current.includes(u));
    shown.current = urls;
    if (fresh.length > 0) setText((t) => [...uriListLines(t), ...fresh].join('\n'));
  }, [urls]);

  useEffect(() => {
    let live = true;
    call(ferry().defaultFolder())
      .then((f) => live && setFolder((current) => current ?? f))
      .catch((e: unknown) => live && setError(messageOf(e)));
    return () => {
      live = false;
    };
  }, []);

  const lines = uriListLines(text);
  const single = lines.length === 1;

  async function changeFolder() {
    try {
      const picked = await call(ferry().pickFolder());
      if (picked) setFolder(picked);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (lines.length === 0) return setError('Enter at least one link.');
    const n = Number(connections);
    if (!Number.isInteger(n) || n < MIN_CONNECTIONS || n > MAX_CONNECTIONS) {
      return setError(`Connections must be a whole number from ${MIN_CONNECTIONS} to ${MAX_CONNECTIONS}.`);
    }
    setBusy(true);
    setError(null);
    try {
      const response = await actions.add({
        urls: lines,
        ...(folder ? { folderId: folder.folderId } : {}),
        connections: n,
        ...(single && fileName.trim() ? { fileName: fileName.trim() } : {}),
        ...(single && checksum.trim() ? { checksum: checksum.trim() } : {}),
      });
      if (response.rejected.length === 0) return close();
      setRejected(response.rejected);
      setText(response.rejected.map((r) => r.url).join('\n'));
      if (response.added.length > 0) {
        useUi.getState().notify('info', `Added ${response.added.length} download${response.added.length === 1 ? '' : 's'}.`);
      }
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="Add downloads" onClose={close} className="add-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor={ids.links}>
          Links, one per line{lines.length > 1 && <span className="count"> ({lines.length})</span>}
        </label>
        <textarea
          id={ids.links}
          data-autofocus
          rows={6}
          wrap="off"
          spellCheck={false}
          placeholder="https://example.com/file.zip"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="field-row">
          <span className="field-label" id={ids.folder}>
            Save to
          </span>
          <output className="folder-path" aria-labelledby={ids.folder} title={folder?.path}>
            {folder?.path ?? settings?.downloadDirectory ?? '…'}
          </output>
          <button type="button" onClick={() => void changeFolder()}>
            Change…
          </button>
        </div>
        <div className="field-grid">
          <label htmlFor={ids.conns}>Connections</label>
          <input
            id={ids.conns}
            type="number"
            min={MIN_CONNECTIONS}
            max={MAX_CONNECTIONS}
            value={connections}
            onChange={(e) => setConnections(e.target.value)}
          />
          <label htmlFor={ids.name}>File name</label>
          <input
            id={ids.name}
            type="text"
            disabled={!single}
            placeholder={single ? 'From the server' : 'Only with a single link'}
            value={single ? fileName : ''}
            onChange={(e) => setFileName(e.target.value)}
          />
          <label htmlFor={ids.sum}>Checksum</label>
          <input
            id={ids.sum}
            type="text"
            spellCheck={false}
            disabled={!single}
            placeholder={single ? 'Optional: sha-256=… (also sha-512, sha-1, md5)' : 'Only with a single link'}
            value={single ? checksum : ''}
            onChange={(e) => setChecksum(e.target.value)}
          />
        </div>
        {rejected.length > 0 && (
          <div className="rejected" role="alert">
            <p>
              {rejected.length === 1 ? 'This link was not added:' : `These ${rejected.length} links were not added:`}
            </p>
            <ul>
              {rejected.map((r) => (
                <li key={r.url}>
                  <code>{r.url}</code> {r.error.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <footer className="dialog-buttons">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || lines.length === 0}>
            Add
          </button>
        </footer>
      </form>
    </Modal>
  );
}
