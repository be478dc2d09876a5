// Settings and folders. The download folder is only ever set from the OS picker run by main; the
// renderer gets folder ids to pass back with an add, and paths only to show.
import { DEFAULT_FOLDER_ID } from '../folders.js';
import { defineHandler } from '../handler.js';
import { noPayload, settingsPatch } from '../schemas.js';

export const getSettings = defineHandler<'getSettings'>({
  schema: noPayload,
  run: (_req, { appSettings }) => appSettings.get(),
});

export const updateSettings = defineHandler<'updateSettings'>({
  schema: settingsPatch,
  run: (patch, { appSettings }) => appSettings.update(patch),
});

export const pickDownloadFolder = defineHandler<'pickDownloadFolder'>({
  schema: noPayload,
  async run(_req, { appSettings, shell }) {
    const picked = await shell.pickFolder();
    return picked === null ? appSettings.get() : appSettings.setDownloadDirectory(picked);
  },
});

export const pickFolder = defineHandler<'pickFolder'>({
  schema: noPayload,
  async run(_req, { folders, shell }) {
    const picked = await shell.pickFolder();
    return picked === null ? null : folders.remember(picked);
  },
});

export const defaultFolder = defineHandler<'defaultFolder'>({
  schema: noPayload,
  run: (_req, { appSettings }) => ({ folderId: DEFAULT_FOLDER_ID, path: appSettings.downloadDirectory() }),
});
