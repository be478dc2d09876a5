// Everything the window asks main to do, in one place. Each action reports failure as a notice
// (main's own sentence) instead of throwing into React; success needs no answer here because the
// change comes back as a progress batch like every other change.
import type { DownloadStatus } from '../main/engine/model.js';
import type { AddRequest, AddResponse, AppSettings } from '../preload/contract.js';
import { call, ferry, messageOf } from './ferry.js';
import { can } from './format/status.js';
import { useDownloads } from './state/downloads-store.js';
import { useSettings } from './state/settings-store.js';
import { useUi } from './state/ui-store.js';

function report(error: unknown): void {
  useUi.getState().notify('error', messageOf(error));
}

async function attempt(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    report(error);
    return false;
  }
}

/** Only ids whose status allows the action: a mixed selection does what makes sense per row. */
function eligible(ids: readonly number[], test: (s: DownloadStatus) => boolean): number[] {
  const { byId } = useDownloads.getState();
  return ids.filter((id) => byId[id] && test(byId[id]!.status));
}

export const actions = {
  pause: (ids: readonly number[]) => {
    const chosen = eligible(ids, can.pause);
    return chosen.length ? attempt(() => call(ferry().pause({ ids: chosen }))) : Promise.resolve(true);
  },
  resume: (ids: readonly number[]) => {
    const chosen = eligible(ids, can.resume);
    return chosen.length ? attempt(() => call(ferry().resume({ ids: chosen }))) : Promise.resolve(true);
  },
  retry: (ids: readonly number[]) => {
    const chosen = eligible(ids, can.retry);
    return chosen.length ? attempt(() => call(ferry().retry({ ids: chosen }))) : Promise.resolve(true);
  },
  cancel: (ids: readonly number[]) => {
    const chosen = eligible(ids, can.cancel);
    return chosen.length ? attempt(() => call(ferry().cancel({ ids: chosen }))) : Promise.resolve(true);
  },
  /** Space: running ones pause; if none is running, paused ones resume. */
  togglePause: (ids: readonly number[]) => {
    return eligible(ids, can.pause).length > 0 ? actions.pause(ids) : actions.resume(ids);
  },
  remove: (ids: readonly number[], deleteFile: boolean) => attempt(() => call(ferry().remove({ ids: [...ids], deleteFile }))),
  move: (id: number, toIndex: number) => attempt(() => call(ferry().move({ id, toIndex }))),
  pauseAll: () => attempt(() => call(ferry().pauseAll())),
  resumeAll: () => attempt(() => call(ferry().resumeAll())),
  openFile: (id: number) => attempt(() => call(ferry().openFile({ id }))),
  showInFolder: (id: number) => attempt(() => call(ferry().showInFolder({ id }))),

  /** Adds without the dialog (drop action "add"); refused URLs are reported one notice each. */
  async addNow(urls: string[]): Promise<AddResponse | null> {
    try {
      const response = await call(ferry().add({ urls }));
      for (const r of response.rejected) useUi.getState().notify('error', `${r.error.message} (${r.url})`);
      return response;
    } catch (error) {
      report(error);
      return null;
    }
  },
  add: (request: AddRequest) => call(ferry().add(request)),

  async updateSettings(patch: Partial<Omit<AppSettings, 'downloadDirectory'>>): Promise<void> {
    try {
      useSettings.getState().setSettings(await call(ferry().updateSettings(patch)));
    } catch (error) {
      report(error);
    }
  },
  async pickDownloadFolder(): Promise<void> {
    try {
      useSettings.getState().setSettings(await call(ferry().pickDownloadFolder()));
    } catch (error) {
      report(error);
    }
  },
};
