// Electron's entry point (package.json "main"). Loaded as ESM, which Electron supports for the
// main process since version 28. Everything real happens in start.ts, which takes Electron as a
// parameter so it can be tested without the binary.
import * as electron from 'electron';
import { startFerry } from './start.js';

startFerry(electron, {
  argv: process.argv,
  platform: process.platform,
  devServerUrl: process.env.FERRY_DEV_SERVER_URL,
}).catch((error: unknown) => {
  console.error('ferry: failed to start:', error);
  electron.dialog.showErrorBox('Ferry cannot start', error instanceof Error ? error.message : String(error));
  electron.app.exit(1);
});
