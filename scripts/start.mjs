// `npm start`: build, run Ferry in Electron, then put things back for Node.
// better-sqlite3 is a native module compiled for one ABI at a time: Electron's for the app, Node's
// for the tests and the CLI. So the start rebuilds it for Electron, and when the app exits it is
// rebuilt for Node again. Both rebuilds fetch prebuilt binaries (needs internet) or compile.
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

let status = run(npm, ['run', 'build']);
if (status === 0) status = run(npx, ['electron-builder', 'install-app-deps']);
if (status === 0) {
  status = run(npx, ['electron', '.', ...process.argv.slice(2)]);
  const back = run(npm, ['rebuild', 'better-sqlite3']);
  if (back !== 0) console.error('ferry: better-sqlite3 could not be rebuilt for Node; run `npm rebuild better-sqlite3` before the tests.');
}
process.exit(status);
