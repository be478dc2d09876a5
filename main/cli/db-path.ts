// Where the CLI keeps its state: --db, else $FERRY_DB, else the same file the desktop app uses
// (Electron's userData folder), so `ferry list` shows the app's downloads too.
import os from 'node:os';
import path from 'node:path';

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.FERRY_DB) return path.resolve(env.FERRY_DB);
  return path.join(userDataDir(env, platform), 'ferry.db');
}

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Ferry');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Ferry');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Ferry');
}
