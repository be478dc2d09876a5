// Per-test set-up for the jsdom tests: a fresh fake window.ferry, empty stores, and DOM cleanup
// (vitest runs without globals, so Testing Library's automatic cleanup is not registered).
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { EMPTY_QUEUE, useDownloads } from '../../renderer/state/downloads-store.js';
import { EMPTY_SELECTION } from '../../renderer/state/selection.js';
import { useSettings } from '../../renderer/state/settings-store.js';
import { useUi } from '../../renderer/state/ui-store.js';
import { createFakeFerry, SETTINGS, type FakeFerry } from './fake-ferry.js';

export function resetStores(): void {
  useDownloads.setState(EMPTY_QUEUE);
  useUi.setState({ selection: EMPTY_SELECTION, filter: 'all', search: '', dialog: null, notices: [] });
  useSettings.setState({ settings: null });
}

export function installFerry(...args: Parameters<typeof createFakeFerry>): FakeFerry {
  const fake = createFakeFerry(...args);
  window.ferry = fake.api;
  useSettings.setState({ settings: SETTINGS });
  return fake;
}

afterEach(() => {
  cleanup();
  resetStores();
});

/** A drop or paste as the browser delivers it; jsdom has no DataTransfer, so a stand-in object. */
export function transfer(data: Record<string, string>, files: File[] = []): DataTransfer {
  const types = [...Object.keys(data), ...(files.length ? ['Files'] : [])];
  return { types, getData: (type: string) => data[type] ?? '', files, dropEffect: 'none' } as unknown as DataTransfer;
}

export function dispatchDrop(target: EventTarget, data: DataTransfer): Event {
  const event = new Event('drop', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'dataTransfer', { value: data });
  target.dispatchEvent(event);
  return event;
}

export function dispatchPaste(target: EventTarget, data: DataTransfer): Event {
  const event = new Event('paste', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'clipboardData', { value: data });
  target.dispatchEvent(event);
  return event;
}
