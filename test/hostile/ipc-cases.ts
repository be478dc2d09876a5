// IPC payloads a compromised or buggy renderer could send, beyond the per-channel schema table of
// test/ipc/router-payloads.test.ts: hostile objects (throwing getters and proxies), values JSON
// cannot even carry (bigints, symbols, functions), ids of every wrong kind, paths where ids
// belong, huge strings and unknown channels. The router must answer each with an error envelope
// (never throw, never change the queue).

export interface IpcCase {
  label: string;
  channel: unknown;
  payload: unknown;
  /** A sender to check (an untrusted page); omitted = an internal call. */
  sender?: unknown;
  /** Acceptable error codes. */
  codes: string[];
}

const HUGE = 'x'.repeat(1024 * 1024);
const PATH = '/etc/passwd';
const UNKNOWN_ID = 987_654;
const BAD = ['INVALID_PAYLOAD'];
const MISSING = ['DOWNLOAD_NOT_FOUND'];

function throwingProxy(): unknown {
  const boom = () => {
    throw new Error('proxy trap');
  };
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
}

function throwingGetter(property = 'ids'): unknown {
  return Object.defineProperty({}, property, {
    enumerable: true,
    get() {
      throw new Error('getter');
    },
  });
}

function circular(): unknown {
  const o: Record<string, unknown> = { ids: [1] };
  o.self = o;
  return o;
}

function deep(depth: number): unknown {
  let v: unknown = [1];
  for (let i = 0; i < depth; i++) v = [v];
  return { ids: v };
}

function nullPrototype(): unknown {
  const o = Object.create(null) as Record<string, unknown>;
  o.ids = [UNKNOWN_ID];
  return o;
}

export const IPC_CASES: IpcCase[] = [
  // Ids of every wrong kind.
  { label: 'details: id as a path', channel: 'downloads:details', payload: { id: PATH }, codes: BAD },
  { label: 'details: id as a numeric string', channel: 'downloads:details', payload: { id: '1' }, codes: BAD },
  { label: 'details: negative id', channel: 'downloads:details', payload: { id: -1 }, codes: BAD },
  { label: 'details: float id', channel: 'downloads:details', payload: { id: 1.5 }, codes: BAD },
  { label: 'details: negative zero', channel: 'downloads:details', payload: { id: -0 }, codes: BAD },
  { label: 'details: Infinity', channel: 'downloads:details', payload: { id: Number.POSITIVE_INFINITY }, codes: BAD },
  { label: 'details: 1e308', channel: 'downloads:details', payload: { id: 1e308 }, codes: BAD },
  { label: 'details: 2^53 (unsafe integer)', channel: 'downloads:details', payload: { id: 2 ** 53 }, codes: BAD },
  { label: 'details: bigint id', channel: 'downloads:details', payload: { id: 1n }, codes: BAD },
  { label: 'details: unknown id', channel: 'downloads:details', payload: { id: UNKNOWN_ID }, codes: MISSING },
  { label: 'pause: ids as a path', channel: 'downloads:pause', payload: { ids: PATH }, codes: BAD },
  { label: 'pause: a path among the ids', channel: 'downloads:pause', payload: { ids: [UNKNOWN_ID, PATH] }, codes: BAD },
  { label: 'pause: sparse array', channel: 'downloads:pause', payload: { ids: new Array<number>(3) }, codes: BAD },
  { label: 'pause: 10,000 unknown ids', channel: 'downloads:pause', payload: { ids: Array.from({ length: 10_000 }, (_, i) => UNKNOWN_ID + i) }, codes: MISSING },
  { label: 'remove: deleteFile as a path', channel: 'downloads:remove', payload: { ids: [UNKNOWN_ID], deleteFile: PATH }, codes: BAD },
  { label: 'openFile: a path instead of an id', channel: 'downloads:openFile', payload: { path: PATH }, codes: BAD },
  { label: 'showInFolder: id and a path', channel: 'downloads:showInFolder', payload: { id: UNKNOWN_ID, path: PATH }, codes: BAD },
  { label: 'move: toIndex as a bigint', channel: 'downloads:move', payload: { id: UNKNOWN_ID, toIndex: 1n }, codes: BAD },
  // Values and objects that are hostile in themselves.
  // Structured clone cannot carry these over Electron IPC; in-process callers (the browser tests'
  // bindings) can. A clear envelope either way: refused, or the router's own INTERNAL_ERROR.
  { label: 'a proxy whose every trap throws', channel: 'downloads:pause', payload: throwingProxy(), codes: [...BAD, 'INTERNAL_ERROR'] },
  { label: 'a getter that throws', channel: 'downloads:pause', payload: throwingGetter(), codes: [...BAD, 'INTERNAL_ERROR'] },
  { label: 'a circular object', channel: 'downloads:pause', payload: circular(), codes: BAD },
  { label: 'ids nested 10,000 arrays deep', channel: 'downloads:pause', payload: deep(10_000), codes: BAD },
  { label: 'a null-prototype object with unknown ids', channel: 'downloads:pause', payload: nullPrototype(), codes: MISSING },
  { label: 'a symbol payload', channel: 'downloads:list', payload: Symbol('x'), codes: BAD },
  { label: 'a function payload', channel: 'downloads:list', payload: () => undefined, codes: BAD },
  { label: 'constructor.prototype pollution attempt', channel: 'settings:update', payload: { constructor: { prototype: { polluted: true } } }, codes: BAD },
  { label: 'JSON __proto__ pollution attempt', channel: 'settings:update', payload: JSON.parse('{"__proto__":{"polluted":true}}'), codes: BAD },
  // Huge strings.
  { label: 'add: a 1 MB URL', channel: 'downloads:add', payload: { urls: [HUGE] }, codes: BAD },
  { label: 'add: a 1 MB folder id', channel: 'downloads:add', payload: { urls: ['http://127.0.0.1:9/x'], folderId: HUGE }, codes: BAD },
  { label: 'add: a 1 MB file name', channel: 'downloads:add', payload: { urls: ['http://127.0.0.1:9/x'], fileName: HUGE }, codes: BAD },
  { label: 'add: a file name with a NUL', channel: 'downloads:add', payload: { urls: ['http://127.0.0.1:9/x'], fileName: 'a\u0000b' }, codes: BAD },
  { label: 'add: a folder id that is a path', channel: 'downloads:add', payload: { urls: ['http://127.0.0.1:9/x'], folderId: '/tmp' }, codes: ['UNKNOWN_FOLDER'] },
  { label: 'settings: a 1 MB theme', channel: 'settings:update', payload: { theme: HUGE }, codes: BAD },
  // Channels.
  { label: 'channel with a trailing space', channel: 'downloads:list ', payload: undefined, codes: ['UNKNOWN_CHANNEL'] },
  { label: 'channel in upper case', channel: 'DOWNLOADS:LIST', payload: undefined, codes: ['UNKNOWN_CHANNEL'] },
  { label: 'channel hasOwnProperty', channel: 'hasOwnProperty', payload: undefined, codes: ['UNKNOWN_CHANNEL'] },
  { label: 'channel as a symbol', channel: Symbol.iterator, payload: undefined, codes: ['UNKNOWN_CHANNEL'] },
  { label: 'channel as an object with a toString', channel: { toString: () => 'downloads:list' }, payload: undefined, codes: ['UNKNOWN_CHANNEL'] },
  { label: 'a 1 MB channel name', channel: HUGE, payload: undefined, codes: ['UNKNOWN_CHANNEL'] },
  // Senders.
  { label: 'a web page as the sender', channel: 'downloads:list', payload: undefined, sender: { url: 'https://evil.example/' }, codes: ['UNTRUSTED_SENDER'] },
  { label: 'a sender whose url getter throws', channel: 'downloads:list', payload: undefined, sender: throwingGetter('url'), codes: ['UNTRUSTED_SENDER'] },
  { label: 'a null sender', channel: 'downloads:list', payload: undefined, sender: null, codes: ['UNTRUSTED_SENDER'] },
];
