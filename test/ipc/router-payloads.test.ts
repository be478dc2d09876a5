// Hostile and broken payloads, channel by channel: each is refused with the right code, nothing
// in the queue changes, and the router keeps serving afterwards. The table must name every
// contract method, so a new channel without bad-payload cases fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_CHANNELS, METHODS } from '../../preload/channels.js';
import type { Method } from '../../preload/contract.js';
import { removeTempDirs } from '../helpers/files.js';
import { createHarness, type Harness } from './harness.js';

const HUGE = 'x'.repeat(9000);
const PATH = '/etc/passwd';
const BAD_IDS: unknown[] = [
  undefined,
  null,
  'nope',
  [],
  { ids: 'all' },
  { ids: [1.5] },
  { ids: [-1] },
  { ids: [0] },
  { ids: [Number.MAX_SAFE_INTEGER + 2] },
  { ids: [Number.NaN] },
  { ids: ['1'] },
  { ids: [PATH] },
  { ids: Array.from({ length: 10_001 }, (_, i) => i + 1) },
  { ids: [1], path: PATH },
  { ids: [{ valueOf: () => 1 }] },
];
const BAD_ID: unknown[] = [undefined, null, { id: '1' }, { id: -3 }, { id: 2.5 }, { id: PATH }, { id: 1, path: PATH }, { ids: [1] }];
const NOT_VOID: unknown[] = [{ ids: [1] }, 'x', 7, [], { path: PATH }];

const BAD: Record<Method, unknown[]> = {
  list: NOT_VOID,
  details: BAD_ID,
  add: [
    undefined,
    {},
    { urls: [] },
    { urls: 'http://example.com/a' },
    { urls: [42] },
    { urls: [HUGE] },
    { urls: Array.from({ length: 1001 }, () => 'http://example.com/') },
    { urls: ['http://example.com/'], folderId: 7 },
    { urls: ['http://example.com/'], folderId: HUGE },
    { urls: ['http://example.com/'], directory: PATH },
    { urls: ['http://example.com/'], connections: 0 },
    { urls: ['http://example.com/'], connections: 33 },
    { urls: ['http://example.com/'], connections: 2.5 },
    { urls: ['http://example.com/'], fileName: '../../evil.sh' },
    { urls: ['http://example.com/'], fileName: 'C:\\Windows\\evil.exe' },
    { urls: ['http://example.com/'], fileName: HUGE },
    { urls: ['http://a.example/', 'http://b.example/'], fileName: 'one.bin' },
    { urls: ['http://example.com/'], paused: 'yes' },
  ],
  pause: BAD_IDS,
  resume: BAD_IDS,
  cancel: BAD_IDS,
  retry: BAD_IDS,
  remove: [...BAD_IDS, { ids: [1] }, { ids: [1], deleteFile: 'yes' }, { ids: [1], deleteFile: true, path: PATH }],
  move: [...BAD_ID, { id: 1 }, { id: 1, toIndex: -1 }, { id: 1, toIndex: 0.5 }, { id: 1, toIndex: '0' }],
  pauseAll: NOT_VOID,
  resumeAll: NOT_VOID,
  openFile: [...BAD_ID, { path: PATH }],
  showInFolder: [...BAD_ID, { path: PATH }],
  getSettings: NOT_VOID,
  updateSettings: [
    undefined,
    'dark',
    { downloadDirectory: PATH },
    { theme: 'neon' },
    { dropAction: 'explode' },
    { maxConcurrent: 0 },
    { maxConcurrent: 101 },
    { maxConcurrent: 1.5 },
    { connections: 64 },
    { keepRunningInTray: 'true' },
    { adaptiveConnections: 'no' },
    { connectionTrialAbove: 0 },
    { notifications: 1 },
    { __proto__: { theme: 'dark' }, polluted: true },
  ],
  pickDownloadFolder: [...NOT_VOID, { path: PATH }],
  pickFolder: [...NOT_VOID, { path: PATH }],
  defaultFolder: NOT_VOID,
};

let h: Harness;
let existingId: number;
beforeAll(async () => {
  h = await createHarness();
  existingId = h.engine.add({ url: 'http://127.0.0.1:9/never', directory: h.downloadsDir, paused: true }).id;
});
afterAll(async () => {
  await h.close();
  await removeTempDirs();
});

describe('bad payloads', () => {
  it('the table covers every contract method', () => {
    expect(Object.keys(BAD).sort()).toEqual([...METHODS].sort());
  });

  for (const method of METHODS) {
    const channel = METHOD_CHANNELS[method];
    it(`${channel} refuses each malformed payload with INVALID_PAYLOAD`, async () => {
      const before = JSON.stringify(h.engine.list().map((d) => [d.id, d.status, d.position]));
      const settingsBefore = await h.call('settings:get');
      for (const payload of BAD[method]) {
        const result = await h.router.handle(channel, payload);
        expect(result, `${channel} ${JSON.stringify(payload)?.slice(0, 80)}`).toEqual({
          ok: false,
          error: { code: 'INVALID_PAYLOAD', message: expect.stringMatching(/^The request is not valid: /) },
        });
        if (!result.ok) expect(result.error.message.length).toBeLessThanOrEqual(500);
      }
      expect(JSON.stringify(h.engine.list().map((d) => [d.id, d.status, d.position]))).toBe(before);
      expect(await h.call('settings:get')).toEqual(settingsBefore);
      expect(h.shell.calls).toEqual([]);
    });
  }
});

describe('well-formed payloads the engine refuses', () => {
  const unknown = 987_654;
  it.each([
    ['downloads:details', { id: unknown }],
    ['downloads:pause', { ids: [unknown] }],
    ['downloads:resume', { ids: [unknown] }],
    ['downloads:cancel', { ids: [unknown] }],
    ['downloads:retry', { ids: [unknown] }],
    ['downloads:remove', { ids: [unknown], deleteFile: true }],
    ['downloads:move', { id: unknown, toIndex: 0 }],
    ['downloads:openFile', { id: unknown }],
    ['downloads:showInFolder', { id: unknown }],
  ])('%s with an unknown id answers DOWNLOAD_NOT_FOUND', async (channel, payload) => {
    expect(await h.router.handle(channel, payload)).toEqual({
      ok: false,
      error: { code: 'DOWNLOAD_NOT_FOUND', message: `There is no download with id ${unknown}.` },
    });
  });

  it('an unknown id in a selection leaves the known ones untouched', async () => {
    const result = await h.router.handle('downloads:remove', { ids: [existingId, unknown], deleteFile: false });
    expect(result).toMatchObject({ ok: false, error: { code: 'DOWNLOAD_NOT_FOUND' } });
    expect(h.engine.get(existingId).status).toBe('paused');
  });

  it('an action the state does not allow answers with the engine code', async () => {
    expect(await h.router.handle('downloads:retry', { ids: [existingId] })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
  });

  it('javascript:, file: and data: URLs come back rejected, one by one, and nothing is added', async () => {
    const urls = ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>1</script>', 'not a url', ' '];
    const result = await h.call<{ added: unknown[]; rejected: { url: string; error: { code: string } }[] }>('downloads:add', { urls });
    expect(result.added).toEqual([]);
    expect(result.rejected.map((r) => [r.url, r.error.code])).toEqual(urls.map((u) => [u, 'INVALID_URL']));
    expect(h.engine.list()).toHaveLength(1);
  });

  it.each([[undefined], [null], [42], [''], ['downloads:nope'], ['__proto__'], ['constructor'], ['toString'], [HUGE]])(
    'unknown channel %#',
    async (channel) => {
      const result = await h.router.handle(channel as string, undefined);
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
      if (!result.ok) expect(result.error.message.length).toBeLessThan(200);
    },
  );

  it('still serves after all of that', async () => {
    expect(await h.router.handle('downloads:list', undefined)).toMatchObject({ ok: true, value: [{ id: existingId }] });
  });
});
