// Certificates for the https tests, all self-signed, in test/helpers/tls/. `cert` (127.0.0.1 and
// localhost, valid 2000-2100) is what the test servers present; an engine trusts it only when
// given it as `ca`, and must refuse it otherwise. `broken` are certificates an engine given
// `trusted` must still refuse: one expired in 2001, one for another name, one it was never given.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tls');
const read = (name: string) => fs.readFileSync(path.join(dir, name));

const cert = read('localhost.crt');
const key = read('localhost.key');
const expired = read('expired.crt');
const wrongName = read('wrong-name.crt');

export const TEST_TLS = {
  key,
  cert,
  /** The certificate's path, for a child process's NODE_EXTRA_CA_CERTS. */
  certPath: path.join(dir, 'localhost.crt'),
  /** What an engine's `ca` holds in the matrix: the good certificate and the expired and misnamed ones. */
  trusted: [cert, expired, wrongName],
  broken: {
    expired: { key, cert: expired },
    wrongName: { key, cert: wrongName },
    unknown: { key: read('unknown.key'), cert: read('unknown.crt') },
  },
};
