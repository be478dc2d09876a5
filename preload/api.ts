// Builds `window.ferry` from two primitives (invoke a channel, subscribe to an event channel).
// The Electron preload wires them to ipcRenderer; the browser tests wire them to the same
// router through Playwright bindings. No electron import here.
import { EVENT_CHANNELS, METHOD_CHANNELS, METHODS } from './channels.js';
import type { Channel, EventName, Events, FerryApi, Result } from './contract.js';

export interface Transport {
  invoke(channel: Channel, request: unknown): Promise<Result<unknown>>;
  /** Returns an unsubscribe function. */
  subscribe(channel: Events[EventName]['channel'], listener: (payload: unknown) => void): () => void;
}

export function createFerryApi(transport: Transport): FerryApi {
  const api: Record<string, unknown> = {};
  for (const method of METHODS) {
    const channel = METHOD_CHANNELS[method];
    api[method] = (request?: unknown) => transport.invoke(channel, request);
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    const channel = EVENT_CHANNELS[event];
    if (!channel) throw new Error(`unknown event ${String(event)}`);
    return transport.subscribe(channel, listener);
  };
  return Object.freeze(api) as FerryApi;
}
