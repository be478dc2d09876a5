// The renderer's only door to main: `window.ferry`, built by the preload (or by the e2e shim from
// the same `createFerryApi`). `call` unwraps the `{ ok, value | error }` envelope into a value or
// a thrown FerryCallError carrying main's code and human sentence.
import type { ErrorInfo, FerryApi, Result } from '../preload/contract.js';

declare global {
  interface Window {
    ferry: FerryApi;
  }
}

export class FerryCallError extends Error {
  readonly code: string;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'FerryCallError';
    this.code = info.code;
  }
}

export function ferry(): FerryApi {
  return window.ferry;
}

export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (result.ok) return result.value;
  throw new FerryCallError(result.error);
}

/** A sentence for any failure: main's message when it sent one, else the exception's. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
