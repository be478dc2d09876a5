// Queue actions on a selection of downloads. Every id must exist (else nothing happens and the
// answer is DOWNLOAD_NOT_FOUND); then the action runs on each, and a download in a state that does
// not allow it (pausing a completed one in a mixed selection) does not stop the others.
import type { Engine } from '../../engine/engine-api.js';
import { FerryError, NotFoundError, toFerryError } from '../../engine/errors.js';
import { defineHandler } from '../handler.js';
import { idsRequest, moveRequest, noPayload, removeRequest } from '../schemas.js';

async function eachId(engine: Engine, ids: number[], verb: string, act: (id: number) => unknown): Promise<void> {
  const unique = [...new Set(ids)];
  const known = new Set(engine.list().map((d) => d.id));
  const missing = unique.find((id) => !known.has(id));
  if (missing !== undefined) throw new NotFoundError(missing);
  const settled = await Promise.allSettled(unique.map(async (id) => act(id)));
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [toFerryError(s.reason)] : []));
  const first = failures[0];
  if (!first) return;
  if (unique.length === 1) throw first;
  throw new FerryError(first.code, `${failures.length} of ${unique.length} downloads could not be ${verb}: ${first.message}`);
}

export const pause = defineHandler<'pause'>({
  schema: idsRequest,
  run: ({ ids }, { engine }) => eachId(engine, ids, 'paused', (id) => engine.pause(id)),
});

export const resume = defineHandler<'resume'>({
  schema: idsRequest,
  run: ({ ids }, { engine }) => eachId(engine, ids, 'resumed', (id) => engine.resume(id)),
});

export const cancel = defineHandler<'cancel'>({
  schema: idsRequest,
  run: ({ ids }, { engine }) => eachId(engine, ids, 'canceled', (id) => engine.cancel(id)),
});

export const retry = defineHandler<'retry'>({
  schema: idsRequest,
  run: ({ ids }, { engine }) => eachId(engine, ids, 'retried', (id) => engine.retry(id)),
});

export const remove = defineHandler<'remove'>({
  schema: removeRequest,
  run: ({ ids, deleteFile }, { engine }) => eachId(engine, ids, 'removed', (id) => engine.remove(id, { deleteFile })),
});

export const move = defineHandler<'move'>({
  schema: moveRequest,
  run: ({ id, toIndex }, { engine }) => engine.move(id, toIndex),
});

export const pauseAll = defineHandler<'pauseAll'>({
  schema: noPayload,
  run: (_req, { engine }) => engine.pauseAll(),
});

export const resumeAll = defineHandler<'resumeAll'>({
  schema: noPayload,
  run: (_req, { engine }) => engine.resumeAll(),
});
