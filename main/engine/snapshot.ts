// Builds the read-only view of a download that the UI and CLI get. Every field is written out
// (no object spread) so all snapshots share one hidden class: listing 10,000 downloads stays a
// few milliseconds instead of hundreds.
import type { ConnectionTrial, Download, DownloadSnapshot, SegmentSnapshot } from './model.js';

export interface LiveFigures {
  downloaded: number;
  speed: number;
  activeConnections: number;
  connectionTrial: ConnectionTrial;
  segments: SegmentSnapshot[];
}

const NO_SEGMENTS: SegmentSnapshot[] = [];

export function toSnapshot(d: Download, live: LiveFigures): DownloadSnapshot {
  const { downloaded, speed } = live;
  return {
    id: d.id,
    url: d.url,
    finalUrl: d.finalUrl,
    directory: d.directory,
    fileName: d.fileName,
    fileNameFixed: d.fileNameFixed,
    overwrite: d.overwrite,
    size: d.size,
    etag: d.etag,
    lastModified: d.lastModified,
    resumable: d.resumable,
    status: d.status,
    position: d.position,
    connections: d.connections,
    error: d.error ? { code: d.error.code, message: d.error.message } : null,
    restartReason: d.restartReason,
    contentType: d.contentType,
    checksum: d.checksum ? { algorithm: d.checksum.algorithm, hex: d.checksum.hex, source: d.checksum.source } : null,
    sha256: d.sha256,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    completedAt: d.completedAt,
    downloaded,
    speed,
    eta: speed > 0 && d.size !== null ? Math.max(0, (d.size - downloaded) / speed) : null,
    activeConnections: live.activeConnections,
    connectionTrial: live.connectionTrial,
    segments: live.segments.length === 0 ? NO_SEGMENTS : live.segments,
  };
}
