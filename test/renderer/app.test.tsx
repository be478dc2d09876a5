// @vitest-environment jsdom
// The whole window against a fake window.ferry: the empty state, rows fed by progress batches,
// selection and keys, and links arriving by drop, .url file and paste (refused ones included).
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../renderer/components/App.js';
import { useUi } from '../../renderer/state/ui-store.js';
import { useSettings } from '../../renderer/state/settings-store.js';
import { dispatchDrop, dispatchPaste, installFerry, transfer } from './dom-helpers.js';
import { SETTINGS, snapshot } from './fake-ferry.js';

// jsdom lays nothing out; give elements a size so the virtualizer has a viewport to fill.
const sizes = { clientHeight: 480, clientWidth: 900, offsetHeight: 480, offsetWidth: 900 };
const saved = Object.fromEntries(Object.keys(sizes).map((k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)]));
beforeAll(() => {
  for (const [k, v] of Object.entries(sizes)) Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => v });
});
afterAll(() => {
  for (const [k, d] of Object.entries(saved)) if (d) Object.defineProperty(HTMLElement.prototype, k, d);
});

async function renderApp(list = [snapshot({ id: 1 })], answers = {}) {
  const fake = installFerry({ list: () => list, ...answers });
  render(<App />);
  await waitFor(() => expect(fake.callsOf('list')).toHaveLength(1));
  return fake;
}

describe('App', () => {
  it('shows the empty state with its hints when the queue is empty', async () => {
    await renderApp([]);
    expect(await screen.findByText('Drop a link here')).toBeTruthy();
    expect(screen.getByText(/to paste them/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add' })).toBeTruthy();
  });

  it('shows rows from list() and progress batches, in words', async () => {
    const fake = await renderApp([snapshot({ id: 1, status: 'paused', downloaded: 250 })]);
    const grid = await screen.findByRole('grid', { name: 'Downloads' });
    act(() =>
      fake.emit('progress', {
        updated: [
          snapshot({ id: 2, status: 'downloading', size: 2 * 1024 * 1024, downloaded: 1024 * 1024, speed: 512 * 1024, eta: 2, activeConnections: 3, connections: 8 }),
          snapshot({ id: 3, status: 'failed', error: { code: 'HTTP_NOT_FOUND', message: 'The server has no such file (404).' } }),
        ],
        removed: [],
      }),
    );
    const rows = await within(grid).findAllByRole('row', { selected: false });
    expect(rows).toHaveLength(3);
    expect(rows[0]!.textContent).toContain('Paused');
    expect(rows[0]!.textContent).toContain('25%');
    expect(rows[1]!.textContent).toContain('Downloading');
    expect(rows[1]!.textContent).toContain('512 KB/s');
    expect(rows[1]!.textContent).toContain('2 s');
    expect(rows[1]!.textContent).toContain('3/8');
    expect(rows[2]!.textContent).toContain('Failed');
    expect(rows[2]!.textContent).toContain('The server has no such file (404).');
    expect(screen.getByLabelText('Totals').textContent).toContain('1 downloading · 1 paused · 1 failed · 3 total');
    expect(screen.getByLabelText('Total speed').textContent).toBe('512 KB/s');

    act(() => fake.emit('progress', { updated: [], removed: [1] }));
    await waitFor(() => expect(within(grid).getAllByRole('row')).toHaveLength(3)); // the header row + 2
  });

  it('says why a fast download runs on two of its sixteen connections', async () => {
    const fast = snapshot({ id: 7, status: 'downloading', size: 1 << 30, downloaded: 1 << 29, speed: 600 << 20, activeConnections: 2, connections: 16, connectionTrial: 'fewer' });
    await renderApp([fast]);
    const grid = await screen.findByRole('grid');
    const row = grid.querySelector('#download-7')!;
    expect(row.querySelector('.conns')!.getAttribute('title')).toBe('Connections in use / wanted (two are as fast as all)');
    fireEvent.click(row);
    await waitFor(() => expect(screen.getByRole('region', { name: 'Download details' }).textContent).toContain('2 active of 16: two are as fast as all'));
  });

  it('selects with click, Ctrl and Shift; Ctrl+A, Space and Delete act on the selection', async () => {
    const fake = await renderApp([1, 2, 3, 4].map((id) => snapshot({ id, status: id === 4 ? 'paused' : 'downloading' })));
    const grid = await screen.findByRole('grid');
    const row = (id: number) => grid.querySelector(`#download-${id}`)!;
    fireEvent.click(row(1));
    fireEvent.click(row(3), { shiftKey: true });
    expect([...useUi.getState().selection.ids]).toEqual([1, 2, 3]);
    expect(row(2).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(row(2), { ctrlKey: true });
    expect([...useUi.getState().selection.ids].sort()).toEqual([1, 3]);
    // One row selected shows its details; several show a summary, so details() was asked once.
    await waitFor(() => expect(fake.callsOf('details')).toEqual([{ id: 1 }]));
    expect(screen.getByRole('region', { name: 'Download details' }).textContent).toContain('2 downloads selected');

    fireEvent.keyDown(grid, { key: ' ' });
    await waitFor(() => expect(fake.callsOf('pause')).toEqual([{ ids: [1, 3] }]));

    fireEvent.keyDown(grid, { key: 'a', ctrlKey: true });
    expect(useUi.getState().selection.ids.size).toBe(4);
    fireEvent.keyDown(grid, { key: 'Delete' });
    expect(useUi.getState().dialog).toEqual({ kind: 'remove', ids: [1, 2, 3, 4] });
    expect(await screen.findByRole('dialog', { name: 'Remove downloads' })).toBeTruthy();
  });

  it('the detail pane asks details() for the selected download', async () => {
    const fake = await renderApp([snapshot({ id: 5, status: 'paused', etag: '"abc"', size: 4000 })], {
      details: () => snapshot({ id: 5, status: 'paused', etag: '"abc"', size: 4000, segments: [{ start: 0, end: 1999, written: 500, active: false }, { start: 2000, end: 3999, written: 2000, active: false }] }),
    });
    fireEvent.click(await screen.findByText('file-5.bin'));
    const pane = await screen.findByRole('region', { name: 'Download details' });
    await waitFor(() => expect(fake.callsOf('details')).toEqual([{ id: 5 }]));
    await waitFor(() => expect(within(pane).getByRole('img').getAttribute('aria-label')).toContain('in 2 segments'));
    expect(pane.textContent).toContain('ETag "abc"');
    expect(pane.textContent).toContain('Yes: the server honours byte ranges');
  });

  it('a dropped link opens the Add dialog filled in', async () => {
    await renderApp();
    dispatchDrop(document.body, transfer({ 'text/uri-list': '# from a browser\r\nhttps://example.com/big.iso\r\n' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    expect((within(dialog).getByLabelText(/Links/) as HTMLTextAreaElement).value).toBe('https://example.com/big.iso');
  });

  it('a javascript: drop is refused with a visible message and adds nothing', async () => {
    const fake = await renderApp();
    const event = dispatchDrop(document.body, transfer({ 'text/uri-list': 'javascript:alert(1)', 'text/plain': 'javascript:alert(1)' }));
    expect(event.defaultPrevented).toBe(true);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Only http and https links can be downloaded');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.callsOf('add')).toEqual([]);
  });

  it('with "add straight away" a drop adds at once', async () => {
    const fake = await renderApp();
    useSettings.setState({ settings: { ...SETTINGS, dropAction: 'add' } });
    dispatchDrop(document.body, transfer({ 'text/plain': 'grab https://example.com/a.zip and https://example.com/b.zip' }));
    await waitFor(() => expect(fake.callsOf('add')).toEqual([{ urls: ['https://example.com/a.zip', 'https://example.com/b.zip'] }]));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('reads a dropped .url file', async () => {
    await renderApp();
    const file = new File(['[InternetShortcut]\r\nURL=https://example.com/from-shortcut.iso\r\n'], 'Shortcut.url');
    dispatchDrop(document.body, transfer({}, [file]));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    await waitFor(() => expect((within(dialog).getByLabelText(/Links/) as HTMLTextAreaElement).value).toBe('https://example.com/from-shortcut.iso'));
  });

  it('Ctrl+V with links opens the dialog; pasting into a text field is left alone', async () => {
    await renderApp();
    const search = screen.getByLabelText('Search downloads');
    const inField = dispatchPaste(search, transfer({ 'text/plain': 'https://example.com/x' }));
    expect(inField.defaultPrevented).toBe(false);
    expect(screen.queryByRole('dialog')).toBeNull();
    dispatchPaste(document.body, transfer({ 'text/plain': 'https://example.com/x\nhttps://example.com/y' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    expect((within(dialog).getByLabelText(/Links/) as HTMLTextAreaElement).value).toBe('https://example.com/x\nhttps://example.com/y');
  });

  it('links from a second launch (addUrls) open the dialog', async () => {
    const fake = await renderApp();
    act(() => fake.emit('addUrls', { urls: ['https://example.com/argv.iso'] }));
    const dialog = await screen.findByRole('dialog', { name: 'Add downloads' });
    expect((within(dialog).getByLabelText(/Links/) as HTMLTextAreaElement).value).toBe('https://example.com/argv.iso');
  });

  it('the status filter and search narrow the list', async () => {
    await renderApp([snapshot({ id: 1, status: 'completed', fileName: 'alpha.iso' }), snapshot({ id: 2, status: 'paused', fileName: 'beta.iso' })]);
    const grid = await screen.findByRole('grid');
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'completed' } });
    await waitFor(() => expect(within(grid).queryByText('beta.iso')).toBeNull());
    expect(within(grid).getByText('alpha.iso')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'all' } });
    fireEvent.change(screen.getByLabelText('Search downloads'), { target: { value: 'BETA' } });
    await waitFor(() => expect(within(screen.getByRole('grid')).queryByText('alpha.iso')).toBeNull());
    fireEvent.change(screen.getByLabelText('Search downloads'), { target: { value: 'nothing-matches' } });
    expect(await screen.findByText('No downloads match')).toBeTruthy();
  });
});
