// What a handler is: the schema its payload must satisfy and the function that serves it, typed
// from the contract so a handler's request and response cannot drift from what the preload exposes.
import type { z } from 'zod';
import type { Engine } from '../engine/engine-api.js';
import type { Method, Request, Response } from '../../preload/contract.js';
import type { AppSettingsService } from './app-settings.js';
import type { FolderRegistry } from './folders.js';

/** The OS integration handlers need, injected: Electron's shell and dialog, or fakes in tests. */
export interface ShellPort {
  /** Opens a file or folder with the OS default application; rejects when it cannot. */
  openPath(path: string): Promise<void>;
  showItemInFolder(path: string): void;
  /** The OS folder picker; null when the user canceled. */
  pickFolder(): Promise<string | null>;
}

export interface HandlerContext {
  engine: Engine;
  appSettings: AppSettingsService;
  folders: FolderRegistry;
  shell: ShellPort;
}

export interface Handler<M extends Method> {
  schema: z.ZodType<Request<M>, unknown>;
  run(request: Request<M>, ctx: HandlerContext): Response<M> | Promise<Response<M>>;
}

export type Handlers = { [M in Method]: Handler<M> };

/** Identity with the types filled in, so each handler file stays free of annotations. */
export function defineHandler<M extends Method>(handler: Handler<M>): Handler<M> {
  return handler;
}
