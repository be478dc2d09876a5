// Reads and writes download rows. Statements are prepared once; every method is synchronous
// (better-sqlite3), so a caller can group several in one transaction.
import type Database from 'better-sqlite3';
import type { Checksum, Download, DownloadStatus } from '../engine/model.js';
import type { Db } from './database.js';

interface DownloadRow {
  id: number;
  url: string;
  final_url: string | null;
  directory: string;
  file_name: string | null;
  file_name_fixed: number;
  overwrite: number;
  size: number | null;
  etag: string | null;
  last_modified: string | null;
  resumable: number;
  status: DownloadStatus;
  position: number;
  connections: number;
  error_code: string | null;
  error_message: string | null;
  restart_reason: string | null;
  sha256: string | null;
  content_type: string | null;
  checksum_algorithm: string | null;
  checksum_hex: string | null;
  checksum_source: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

// The columns a Download is read from, in SELECT order. Rows come back as arrays (better-sqlite3's
// raw mode): for the 10,000 rows of a long queue that is 2-3 × faster than an object per row keyed
// by column name, and it is most of what opening the app with such a queue costs.
const COLUMNS = [
  'id', 'url', 'final_url', 'directory', 'file_name', 'file_name_fixed', 'overwrite', 'size', 'etag',
  'last_modified', 'resumable', 'status', 'position', 'connections', 'error_code', 'error_message',
  'restart_reason', 'sha256', 'content_type', 'checksum_algorithm', 'checksum_hex', 'checksum_source',
  'created_at', 'updated_at', 'completed_at',
] as const satisfies readonly (keyof DownloadRow)[];
const AT = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as Record<keyof DownloadRow, number>;
const SELECT_DOWNLOADS = `SELECT ${COLUMNS.join(', ')} FROM downloads`;

type RawRow = unknown[];

function col<K extends keyof DownloadRow>(v: RawRow, k: K): DownloadRow[K] {
  return v[AT[k]] as DownloadRow[K];
}

export type NewDownload = Pick<
  Download,
  'url' | 'directory' | 'fileName' | 'fileNameFixed' | 'overwrite' | 'status' | 'connections'
> & { checksum?: Checksum | null };

/** Fields the engine updates as a download moves along. */
export type DownloadPatch = Partial<
  Pick<
    Download,
    | 'finalUrl'
    | 'fileName'
    | 'size'
    | 'etag'
    | 'lastModified'
    | 'resumable'
    | 'status'
    | 'position'
    | 'connections'
    | 'error'
    | 'restartReason'
    | 'sha256'
    | 'checksum'
    | 'contentType'
    | 'completedAt'
    | 'directory'
  >
>;

/** A request from another process (`ferry pause ID` while `ferry get` runs it). */
export type ControlRequest = 'pause' | 'cancel' | 'remove' | 'remove-delete';

function fromRow(v: RawRow): Download {
  const errorCode = col(v, 'error_code');
  const algorithm = col(v, 'checksum_algorithm');
  const hex = col(v, 'checksum_hex');
  return {
    id: col(v, 'id'),
    url: col(v, 'url'),
    finalUrl: col(v, 'final_url'),
    directory: col(v, 'directory'),
    fileName: col(v, 'file_name'),
    fileNameFixed: col(v, 'file_name_fixed') === 1,
    overwrite: col(v, 'overwrite') === 1,
    size: col(v, 'size'),
    etag: col(v, 'etag'),
    lastModified: col(v, 'last_modified'),
    resumable: col(v, 'resumable') === 1,
    status: col(v, 'status'),
    position: col(v, 'position'),
    connections: col(v, 'connections'),
    error: errorCode ? { code: errorCode, message: col(v, 'error_message') ?? '' } : null,
    restartReason: col(v, 'restart_reason'),
    contentType: col(v, 'content_type'),
    checksum:
      algorithm && hex
        ? { algorithm: algorithm as Checksum['algorithm'], hex, source: col(v, 'checksum_source') === 'server' ? 'server' : 'user' }
        : null,
    sha256: col(v, 'sha256'),
    createdAt: col(v, 'created_at'),
    updatedAt: col(v, 'updated_at'),
    completedAt: col(v, 'completed_at'),
  };
}

const COLUMN: Record<keyof DownloadPatch, string> = {
  finalUrl: 'final_url',
  fileName: 'file_name',
  size: 'size',
  etag: 'etag',
  lastModified: 'last_modified',
  resumable: 'resumable',
  status: 'status',
  position: 'position',
  connections: 'connections',
  error: 'error',
  restartReason: 'restart_reason',
  sha256: 'sha256',
  checksum: 'checksum',
  contentType: 'content_type',
  completedAt: 'completed_at',
  directory: 'directory',
};

export function createDownloadsRepo(db: Db, now: () => number = Date.now) {
  const insert = db.prepare(`
    INSERT INTO downloads (url, directory, file_name, file_name_fixed, overwrite, status, position, connections,
                           checksum_algorithm, checksum_hex, checksum_source, created_at, updated_at)
    VALUES (@url, @directory, @fileName, @fileNameFixed, @overwrite, @status,
            (SELECT COALESCE(MAX(position), 0) + 1 FROM downloads), @connections,
            @checksumAlgorithm, @checksumHex, @checksumSource, @now, @now)`);
  const byId = db.prepare<[number], RawRow>(`${SELECT_DOWNLOADS} WHERE id = ?`).raw(true);
  const all = db.prepare<[], RawRow>(`${SELECT_DOWNLOADS} ORDER BY position, id`).raw(true);
  const remove = db.prepare('DELETE FROM downloads WHERE id = ?');
  const setOwner = db.prepare('UPDATE downloads SET owner_pid = ?, control = NULL WHERE id = ?');
  const getOwner = db.prepare<[number], { owner_pid: number | null; control: string | null }>(
    'SELECT owner_pid, control FROM downloads WHERE id = ?',
  );
  const setControl = db.prepare('UPDATE downloads SET control = ? WHERE id = ?');
  const nameTaken = db.prepare<[string, string, number], { id: number }>(
    "SELECT id FROM downloads WHERE directory = ? AND file_name = ? AND id != ? AND status NOT IN ('completed', 'canceled') LIMIT 1",
  );
  const shiftFrom = db.prepare('UPDATE downloads SET position = position + 1 WHERE position >= ?');
  const setPosition = db.prepare('UPDATE downloads SET position = ? WHERE id = ?');
  const updates = new Map<string, Database.Statement>();

  function update(id: number, patch: DownloadPatch): void {
    const keys = (Object.keys(patch) as (keyof DownloadPatch)[]).sort();
    if (keys.length === 0) return;
    const sig = keys.join(',');
    let stmt = updates.get(sig);
    if (!stmt) {
      const sets = keys.map((k) =>
        k === 'error'
        ? 'error_code = @error_code, error_message = @error_message'
        : k === 'checksum'
          ? 'checksum_algorithm = @checksum_algorithm, checksum_hex = @checksum_hex, checksum_source = @checksum_source'
          : `${COLUMN[k]} = @${k}`,
      );
      stmt = db.prepare(`UPDATE downloads SET ${sets.join(', ')}, updated_at = @updatedAt WHERE id = @id`);
      updates.set(sig, stmt);
    }
    const params: Record<string, unknown> = { id, updatedAt: now() };
    for (const k of keys) {
      if (k === 'error') {
        params.error_code = patch.error?.code ?? null;
        params.error_message = patch.error?.message ?? null;
      } else if (k === 'checksum') {
        params.checksum_algorithm = patch.checksum?.algorithm ?? null;
        params.checksum_hex = patch.checksum?.hex ?? null;
        params.checksum_source = patch.checksum?.source ?? null;
      } else if (k === 'resumable') {
        params[k] = patch.resumable ? 1 : 0;
      } else {
        params[k] = patch[k] ?? null;
      }
    }
    stmt.run(params);
  }

  return {
    insert(d: NewDownload): Download {
      const info = insert.run({
        url: d.url,
        directory: d.directory,
        fileName: d.fileName,
        fileNameFixed: d.fileNameFixed ? 1 : 0,
        overwrite: d.overwrite ? 1 : 0,
        status: d.status,
        connections: d.connections,
        checksumAlgorithm: d.checksum?.algorithm ?? null,
        checksumHex: d.checksum?.hex ?? null,
        checksumSource: d.checksum?.source ?? null,
        now: now(),
      });
      return fromRow(byId.get(Number(info.lastInsertRowid))!);
    },
    get(id: number): Download | undefined {
      const row = byId.get(id);
      return row ? fromRow(row) : undefined;
    },
    list(): Download[] {
      return all.all().map(fromRow);
    },
    update,
    remove(id: number): void {
      remove.run(id);
    },
    /** Moves a download to `position`, shifting the ones at or after it down by one. */
    move(id: number, position: number): void {
      db.transaction(() => {
        shiftFrom.run(position);
        update(id, { position });
      })();
    },
    /** An unfinished download other than `exceptId` already uses this name in this folder. */
    nameTaken(directory: string, fileName: string, exceptId: number): boolean {
      return nameTaken.get(directory, fileName, exceptId) !== undefined;
    },
    /** Rewrites positions as 1..n in the given order, in one transaction. */
    reorder(ids: readonly number[]): void {
      db.transaction(() => {
        ids.forEach((id, i) => setPosition.run(i + 1, id));
      })();
    },
    setOwner(id: number, pid: number | null): void {
      setOwner.run(pid, id);
    },
    owner(id: number): { pid: number | null; control: ControlRequest | null } | undefined {
      const row = getOwner.get(id);
      return row ? { pid: row.owner_pid, control: row.control as ControlRequest | null } : undefined;
    },
    requestControl(id: number, control: ControlRequest | null): void {
      setControl.run(control, id);
    },
  };
}


export type DownloadsRepo = ReturnType<typeof createDownloadsRepo>;
