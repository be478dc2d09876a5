// What Ferry knows about the selected download: where its bytes are (the segment map), where it
// comes from and goes to, and what the server told us. Live segments arrive with progress while
// the download runs; when it is stopped, `details()` supplies the stored ones.
import { useEffect, useState, type ReactNode } from 'react';
import type { DownloadSnapshot } from '../../preload/contract.js';
import { actions } from '../actions.js';
import { call, ferry } from '../ferry.js';
import { formatBytes, formatSpeed } from '../format/bytes.js';
import { formatEta } from '../format/duration.js';
import { can, connectionTrialNote, displayName, statusLabel } from '../format/status.js';
import { useDownloads } from '../state/downloads-store.js';
import { useUi } from '../state/ui-store.js';
import { Icon } from './Icon.js';
import { SegmentMap } from './SegmentMap.js';

function useDetails(id: number, status: string): DownloadSnapshot | null {
  const [details, setDetails] = useState<DownloadSnapshot | null>(null);
  useEffect(() => {
    let live = true;
    call(ferry().details({ id }))
      .then((d) => live && setDetails(d))
      .catch(() => live && setDetails(null));
    return () => {
      live = false;
    };
  }, [id, status]);
  return details && details.id === id ? details : null;
}

/** A term and its value; long values (URLs, paths, hashes) take the whole line and show in full on hover. */
function Fact({ term, children, wide, title }: { term: string; children: ReactNode; wide?: boolean; title?: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd className={wide ? 'wide' : undefined} title={title}>
        {children}
      </dd>
    </>
  );
}

function Details({ id }: { id: number }) {
  const d = useDownloads((s) => s.byId[id]);
  const details = useDetails(id, d?.status ?? '');
  if (!d) return null;
  const running = d.status === 'downloading' || d.status === 'probing';
  const trialNote = connectionTrialNote(d.connectionTrial);
  const segments = running || !details ? d.segments : details.segments;
  const validators = [d.etag && `ETag ${d.etag}`, d.lastModified && `Last-Modified ${d.lastModified}`].filter(Boolean).join(' · ');

  return (
    <section className="detail" aria-label="Download details">
      <header className="detail-head">
        <h2 title={displayName(d)}>{displayName(d)}</h2>
        <span className={`badge ${d.status}`}>{statusLabel(d.status)}</span>
        <span className="detail-figures num">
          {formatBytes(d.downloaded)} of {formatBytes(d.size)}
          {running && d.speed > 0 && ` · ${formatSpeed(d.speed)} · ${formatEta(d.eta)} left`}
        </span>
        <div className="detail-actions">
          <button type="button" disabled={!can.open(d.status)} onClick={() => void actions.openFile(id)}>
            <Icon name="open" /> Open
          </button>
          <button type="button" onClick={() => void actions.showInFolder(id)}>
            <Icon name="folder" /> Show in folder
          </button>
        </div>
      </header>
      {d.status === 'failed' && d.error && (
        <p className="detail-error" role="status">
          {d.error.message} <code>{d.error.code}</code>
        </p>
      )}
      <SegmentMap size={d.size} downloaded={d.downloaded} segments={segments} complete={d.status === 'completed'} />
      <dl className="facts">
        <Fact term="URL" wide title={d.url}>
          <span className="selectable">{d.url}</span>
        </Fact>
        {d.finalUrl && d.finalUrl !== d.url && (
          <Fact term="Redirected to" wide title={d.finalUrl}>
            <span className="selectable">{d.finalUrl}</span>
          </Fact>
        )}
        <Fact term="Folder" wide title={d.directory}>
          <span className="selectable">{d.directory}</span>
        </Fact>
        <Fact term="Connections">
          {running ? `${d.activeConnections} active of ${d.connections}${trialNote ? `: ${trialNote}` : ''}` : `${d.connections} wanted`}
        </Fact>
        <Fact term="Resumable">
          {d.size === null && !d.resumable
            ? 'Not known yet'
            : d.resumable
              ? 'Yes: the server honours byte ranges'
              : 'No: an interrupted download starts over'}
        </Fact>
        <Fact term="Validators" wide title={validators}>
          {validators || 'None sent by the server'}
        </Fact>
        {d.restartReason && (
          <Fact term="Started over" wide title={d.restartReason}>
            {d.restartReason}
          </Fact>
        )}
        {d.sha256 && (
          <Fact term="SHA-256" wide>
            <code className="selectable">{d.sha256}</code>
          </Fact>
        )}
      </dl>
    </section>
  );
}

export function DetailPane() {
  const ids = useUi((s) => s.selection.ids);
  if (ids.size === 0) return null;
  if (ids.size > 1) {
    return (
      <section className="detail summary" aria-label="Download details">
        <p>{ids.size} downloads selected. Space pauses or resumes them, Delete removes them.</p>
      </section>
    );
  }
  const [id] = ids;
  return <Details key={id} id={id!} />;
}
