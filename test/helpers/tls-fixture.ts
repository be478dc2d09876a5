// A certificate for 127.0.0.1 and localhost, valid 2000-2100, self-signed: the https tests' server
// presents it, and an engine trusts it only when given it as `ca` (otherwise it must refuse it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export const TEST_TLS = {
  key: fs.readFileSync(path.join(here, 'tls', 'localhost.key')),
  cert: fs.readFileSync(path.join(here, 'tls', 'localhost.crt')),
  /** The certificate's path, for a child process's NODE_EXTRA_CA_CERTS. */
  certPath: path.join(here, 'tls', 'localhost.crt'),
};
