// Segment progress. A checkpoint writes all changed segments of a download in one transaction,
// so a split (the victim's new end and the new segment) is never half-recorded.
//
// `written` may count bytes that are only in the OS's page cache: such a row carries the boot it
// was written in, and in any other boot (after a power cut) only `durable` is trusted.
import type { ProgressSegment, Segment } from '../engine/model.js';
import type { Db } from './database.js';

/** What a row's `written` is worth in the boot `?`: all of it, or only what was flushed. */
const TRUSTED = `CASE WHEN boot_id IS NULL OR boot_id = @boot THEN written ELSE COALESCE(durable, 0) END`;

export function createSegmentsRepo(db: Db) {
  const list = db.prepare<{ id: number; boot: string | null }, Segment>(
    `SELECT start, end, ${TRUSTED} AS written FROM segments WHERE download_id = @id ORDER BY start`,
  );
  const listProgress = db.prepare<{ id: number; boot: string | null }, ProgressSegment>(`
    SELECT start, end, ${TRUSTED} AS written,
           MIN(${TRUSTED}, CASE WHEN boot_id IS NULL THEN written ELSE COALESCE(durable, 0) END) AS durable
    FROM segments WHERE download_id = @id ORDER BY start`);
  const upsert = db.prepare(`
    INSERT INTO segments (download_id, start, end, written, durable, boot_id) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (download_id, start) DO UPDATE
      SET end = excluded.end, written = excluded.written, durable = excluded.durable, boot_id = excluded.boot_id`);
  const clear = db.prepare('DELETE FROM segments WHERE download_id = ?');
  const totals = db.prepare<{ boot: string | null }, { download_id: number; written: number }>(
    `SELECT download_id, SUM(${TRUSTED}) AS written FROM segments GROUP BY download_id`,
  );

  /** `boot` null: every written byte is on stable storage; else the boot of a page-cache claim. */
  const put = (downloadId: number, segments: readonly (Segment & { durable?: number })[], boot: string | null) => {
    for (const s of segments) {
      upsert.run(downloadId, s.start, s.end, s.written, boot === null ? null : (s.durable ?? 0), boot);
    }
  };
  const save = db.transaction(put);
  const replace = db.transaction((downloadId: number, segments: readonly (Segment & { durable?: number })[], boot: string | null) => {
    clear.run(downloadId);
    put(downloadId, segments, boot);
  });

  return {
    /** The plan with the progress trusted in `bootId` (every byte written when it is omitted). */
    list(downloadId: number, bootId: string | null = null): Segment[] {
      return list.all({ id: downloadId, boot: bootId });
    },
    /** As `list`, plus how much of each segment is known to be on stable storage. */
    listProgress(downloadId: number, bootId: string | null = null): ProgressSegment[] {
      return listProgress.all({ id: downloadId, boot: bootId });
    },
    /**
     * Upserts the given segments (by start) in one transaction. `bootId` marks a checkpoint whose
     * bytes beyond each segment's `durable` are only in the page cache; null, one that was flushed.
     */
    save(downloadId: number, segments: readonly (Segment & { durable?: number })[], bootId: string | null = null): void {
      save(downloadId, segments, bootId);
    },
    /** Replaces the whole plan, e.g. when a download starts over. */
    replace(downloadId: number, segments: readonly (Segment & { durable?: number })[], bootId: string | null = null): void {
      replace(downloadId, segments, bootId);
    },
    /** Bytes on disk per download, in one query (start-up with 10,000 downloads). */
    totals(bootId: string | null = null): Map<number, number> {
      return new Map(totals.all({ boot: bootId }).map((r) => [r.download_id, r.written]));
    },
    clear(downloadId: number): void {
      clear.run(downloadId);
    },
  };
}

export type SegmentsRepo = ReturnType<typeof createSegmentsRepo>;
