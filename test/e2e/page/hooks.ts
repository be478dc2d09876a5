// What the e2e page shim adds to `window`, as plain types both sides can import: the shim (DOM
// typed, test/e2e/page/shim.tsx) implements it, the Node-side tests call it through page.evaluate.
export interface DroppedFileSpec {
  name: string;
  text: string;
}

export interface FerryTestHooks {
  /** Provided by page.exposeBinding: the router's `handle`, request and Result as JSON text. */
  __ferryInvoke(channel: string, payloadJson: string | undefined): Promise<string>;
  /** Called by the test (page.evaluate) for every router event, the payload as JSON text. */
  __ferryEmit(channel: string, payloadJson: string): void;
  /** Content-Security-Policy violations seen by the page, for the CSP check. */
  __cspViolations: string[];
  __ferryTest: {
    /** Fires dragenter, dragover and drop on the element under the window's centre, as a real drag would. */
    drop(data: Record<string, string>, files?: DroppedFileSpec[]): { defaultPrevented: boolean };
  };
}
