// The page side of the e2e harness, bundled by esbuild into an init script that runs before the
// renderer's own script. It builds `window.ferry` with the preload's own createFerryApi, so the
// browser gets exactly the API the Electron preload exposes, over a Playwright binding to the real
// router instead of ipcRenderer. (A .tsx file so the DOM-typed renderer project checks it; the
// Node-typed root project, which takes test/**/*.ts, does not.)
import { createFerryApi } from '../../../preload/api.js';
import type { Result } from '../../../preload/contract.js';
import type { FerryTestHooks } from './hooks.js';

type TestWindow = Window & FerryTestHooks;
const w = window as unknown as TestWindow;

const listeners = new Map<string, Set<(payload: unknown) => void>>();

w.ferry = createFerryApi({
  invoke: async (channel, request) => JSON.parse(await w.__ferryInvoke(channel, request === undefined ? undefined : JSON.stringify(request))) as Result<unknown>,
  subscribe(channel, listener) {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  },
});

w.__ferryEmit = (channel, payloadJson) => {
  const payload: unknown = JSON.parse(payloadJson);
  for (const listener of listeners.get(channel) ?? []) listener(payload);
};

w.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  w.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'}`);
});

w.__ferryTest = {
  drop(data, files = []) {
    const transfer = new DataTransfer();
    for (const [type, value] of Object.entries(data)) transfer.setData(type, value);
    for (const f of files) transfer.items.add(new File([f.text], f.name, { type: 'text/plain' }));
    const x = Math.floor(window.innerWidth / 2);
    const y = Math.floor(window.innerHeight / 2);
    const target = document.elementFromPoint(x, y) ?? document.body;
    const init = { bubbles: true, cancelable: true, composed: true, clientX: x, clientY: y, dataTransfer: transfer };
    target.dispatchEvent(new DragEvent('dragenter', init));
    target.dispatchEvent(new DragEvent('dragover', init));
    const drop = new DragEvent('drop', init);
    target.dispatchEvent(drop);
    return { defaultPrevented: drop.defaultPrevented };
  },
};
