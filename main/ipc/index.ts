// The router's public surface, for main/app and the browser tests.
export { createRouter, type Router, type RouterDeps, type RouterListener, type EventChannel } from './router.js';
export { createAppSettings, APP_DEFAULTS, type AppSettingsService, type SettingsPatch } from './app-settings.js';
export { createFolderRegistry, DEFAULT_FOLDER_ID, type FolderRegistry } from './folders.js';
export { createSenderCheck, fileSenderOnly, type Sender, type SenderCheck, type TrustedOrigins } from './sender.js';
export type { ShellPort } from './handler.js';
