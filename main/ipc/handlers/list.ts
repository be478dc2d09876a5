// Reading the queue: the whole list (rows) and one download in detail (its stored segments too).
import { defineHandler } from '../handler.js';
import { redactSnapshot } from '../redact.js';
import { idRequest, noPayload } from '../schemas.js';

export const list = defineHandler<'list'>({
  schema: noPayload,
  run: (_req, { engine }) => engine.list().map(redactSnapshot),
});

export const details = defineHandler<'details'>({
  schema: idRequest,
  run: ({ id }, { engine }) => redactSnapshot(engine.get(id)),
});
