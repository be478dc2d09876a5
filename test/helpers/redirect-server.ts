// A loopback server that only redirects: to other hosts and ports (absolute Locations), to itself
// (relative Locations), through chains of n hops, in loops, and links that expire. It answers from
// a second port so a download's final URL really differs from its original one.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

export interface RedirectRoute {
  /** Sent verbatim as Location: absolute (`http://localhost:PORT/x`) or relative (`../x`, `next`). */
  location: string;
  status?: RedirectStatus;
  /** After this many uses the route answers 410 Gone, like a signed link that has expired. */
  times?: number;
}

export interface RedirectRecord {
  method: string;
  path: string;
  status: number;
  location?: string;
}

export interface RedirectServer {
  readonly port: number;
  url(path: string, host?: string): string;
  redirect(path: string, route: RedirectRoute | string): void;
  /**
   * `path` → `path/1` → ... → `target`: `hops` redirects in all, alternating relative and
   * absolute Locations so both kinds are exercised. Returns the URL to start from.
   */
  chain(path: string, hops: number, target: string, status?: RedirectStatus): string;
  /** `path/a` → `path/b` → `path/a` ...: returns the URL to start from. */
  loop(path: string, status?: RedirectStatus): string;
  readonly requests: readonly RedirectRecord[];
  close(): Promise<void>;
}

export async function startRedirectServer(): Promise<RedirectServer> {
  const routes = new Map<string, { route: RedirectRoute; used: number }>();
  const records: RedirectRecord[] = [];
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const record: RedirectRecord = { method: req.method ?? 'GET', path, status: 404 };
    records.push(record);
    const entry = routes.get(path);
    if (entry) {
      entry.used++;
      const expired = entry.route.times !== undefined && entry.used > entry.route.times;
      record.status = expired ? 410 : (entry.route.status ?? 302);
      if (!expired) {
        record.location = entry.route.location;
        res.setHeader('Location', entry.route.location);
      }
    }
    res.statusCode = record.status;
    res.setHeader('Content-Length', 0);
    res.end();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const norm = (p: string): string => (p.startsWith('/') ? p : `/${p}`);
  const url = (path: string, host = '127.0.0.1'): string => `http://${host}:${port}${norm(path)}`;
  const redirect = (path: string, route: RedirectRoute | string): void => {
    routes.set(norm(path), { route: typeof route === 'string' ? { location: route } : route, used: 0 });
  };

  return {
    port,
    url,
    redirect,
    chain(path, hops, target, status) {
      if (hops < 1) throw new RangeError('a chain needs at least one hop');
      const base = norm(path);
      const step = (i: number): string => (i === 0 ? base : `${base}/${i}`);
      for (let i = 0; i < hops - 1; i++) {
        // Even hops send a path-only Location ("/chain/2"), odd hops a full URL under the name
        // localhost, so a client must resolve both kinds and cope with the host name changing.
        const next = step(i + 1);
        const location = i % 2 === 0 ? next : url(next, 'localhost');
        redirect(step(i), status ? { location, status } : { location });
      }
      redirect(step(hops - 1), status ? { location: target, status } : { location: target });
      return url(base);
    },
    loop(path, status) {
      const base = norm(path);
      redirect(`${base}/a`, { location: `${base}/b`, ...(status ? { status } : {}) });
      redirect(`${base}/b`, { location: url(`${base}/a`, 'localhost'), ...(status ? { status } : {}) });
      return url(`${base}/a`);
    },
    get requests() {
      return records;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
