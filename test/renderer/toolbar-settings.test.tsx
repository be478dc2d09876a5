// @vitest-environment jsdom
// The toolbar acts on the rows the selection allows, and the Settings panel sends each change to
// main and shows main's answer (the theme among them, applied to <html>).
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../renderer/components/App.js';
import { useUi } from '../../renderer/state/ui-store.js';
import { installFerry } from './dom-helpers.js';
import { SETTINGS, snapshot } from './fake-ferry.js';

const saved = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeAll(() => Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 480 }));
afterAll(() => saved && Object.defineProperty(HTMLElement.prototype, 'clientHeight', saved));

const QUEUE = [
  snapshot({ id: 1, status: 'downloading' }),
  snapshot({ id: 2, status: 'failed', error: { code: 'HTTP_GONE', message: 'Gone.' } }),
  snapshot({ id: 3, status: 'paused' }),
  snapshot({ id: 4, status: 'completed' }),
];

async function renderApp() {
  const fake = installFerry({ list: () => QUEUE });
  render(<App />);
  await screen.findByRole('grid');
  return fake;
}

function select(...ids: number[]) {
  act(() => useUi.getState().setSelection({ ids: new Set(ids), anchor: ids[0] ?? null }));
}

const button = (name: string) => within(screen.getByRole('toolbar', { name: 'Actions' })).getByRole('button', { name }) as HTMLButtonElement;

describe('toolbar', () => {
  it('enables each action only for a selection it applies to, and sends only those ids', async () => {
    const fake = await renderApp();
    expect(button('Pause').disabled).toBe(true);
    expect(button('Remove').disabled).toBe(true);
    select(1, 2, 3, 4);
    for (const name of ['Pause', 'Resume', 'Retry', 'Cancel', 'Remove']) expect(button(name).disabled).toBe(false);
    expect(button('Open').disabled).toBe(true); // several selected
    fireEvent.click(button('Pause'));
    fireEvent.click(button('Resume'));
    fireEvent.click(button('Retry'));
    fireEvent.click(button('Cancel'));
    await waitFor(() => expect(fake.callsOf('cancel')).toHaveLength(1));
    expect(fake.callsOf('pause')).toEqual([{ ids: [1] }]);
    expect(fake.callsOf('resume')).toEqual([{ ids: [3] }]);
    expect(fake.callsOf('retry')).toEqual([{ ids: [2] }]);
    expect(fake.callsOf('cancel')).toEqual([{ ids: [1, 2, 3] }]);
    select(4);
    expect(button('Open').disabled).toBe(false);
    expect(button('Pause').disabled).toBe(true);
  });

  it('Pause all and Resume all need no selection', async () => {
    const fake = await renderApp();
    fireEvent.click(button('Pause all'));
    fireEvent.click(button('Resume all'));
    await waitFor(() => expect(fake.callsOf('resumeAll')).toHaveLength(1));
    expect(fake.callsOf('pauseAll')).toHaveLength(1);
  });

  it('shows main’s error sentence when an action fails', async () => {
    installFerry({
      list: () => QUEUE,
      pause: () => {
        throw new Error('A download that is completed cannot be paused.');
      },
    });
    render(<App />);
    await screen.findByRole('grid');
    select(1);
    fireEvent.click(button('Pause'));
    expect((await screen.findByRole('alert')).textContent).toContain('cannot be paused');
  });
});

describe('settings', () => {
  it('sends changes to main and applies the theme', async () => {
    const fake = await renderApp();
    fireEvent.click(button('Settings'));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    expect(within(dialog).getByText(SETTINGS.downloadDirectory)).toBeTruthy();

    const max = within(dialog).getByLabelText('Downloads at a time');
    fireEvent.change(max, { target: { value: '5' } });
    expect(fake.callsOf('updateSettings')).toEqual([]); // not on every keystroke
    fireEvent.blur(max);
    fireEvent.change(within(dialog).getByLabelText('Connections per download'), { target: { value: '99' } });
    fireEvent.blur(within(dialog).getByLabelText('Connections per download')); // out of range: reverted, not sent
    fireEvent.change(within(dialog).getByLabelText('Dropped or pasted links'), { target: { value: 'add' } });
    fireEvent.click(within(dialog).getByLabelText(/Keep downloading in the tray/));
    fireEvent.click(within(dialog).getByLabelText('Use fewer connections when they are as fast'));
    fireEvent.change(within(dialog).getByLabelText('Theme'), { target: { value: 'dark' } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(fake.callsOf('updateSettings')).toEqual([
      { maxConcurrent: 5 },
      { dropAction: 'add' },
      { keepRunningInTray: false },
      { adaptiveConnections: false },
      { theme: 'dark' },
    ]);
    expect((within(dialog).getByLabelText('Connections per download') as HTMLInputElement).value).toBe('8');

    fireEvent.change(within(dialog).getByLabelText('Theme'), { target: { value: 'system' } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
    fireEvent.click(within(dialog).getByRole('button', { name: 'Change…' }));
    await waitFor(() => expect(fake.callsOf('pickDownloadFolder')).toHaveLength(1));
  });
});
