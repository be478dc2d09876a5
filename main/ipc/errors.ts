// Turning anything a handler throws into the `{ ok: false, error }` envelope. Engine errors keep
// their stable code and sentence; anything else becomes INTERNAL_ERROR, so no stack, path or
// object of main's ever crosses into the renderer by accident.
import { FerryError } from '../engine/errors.js';
import type { ErrorInfo, Result } from '../../preload/contract.js';

/** Messages are shown to people and may echo payload fragments: keep them bounded. */
const MAX_MESSAGE = 500;

export function ipcError(code: string, message: string): FerryError {
  return new FerryError(code, message);
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: string, message: string): Result<never> {
  return { ok: false, error: { code, message: clip(message) } };
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof FerryError) return { code: error.code, message: clip(error.message) };
  // Unexpected failures are bugs; the renderer gets a stable code, the log gets the detail.
  console.error('ferry: an IPC handler failed:', error);
  const message = error instanceof Error && error.message ? error.message : String(error);
  return { code: 'INTERNAL_ERROR', message: clip(`Something went wrong in Ferry: ${message}`) };
}

export function clip(text: string, max = MAX_MESSAGE): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
