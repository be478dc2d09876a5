// @vitest-environment jsdom
// The Add dialog against a fake window.ferry: three links go to main in one add() with the folder
// id and connections; links main refuses stay in the box with main's reason.
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { AddDialog } from '../../renderer/components/AddDialog.js';
import { useUi } from '../../renderer/state/ui-store.js';
import { installFerry } from './dom-helpers.js';

/** Renders the dialog while the ui store says it is open, as the App does. */
function Host() {
  const dialog = useUi((s) => s.dialog);
  return dialog?.kind === 'add' ? <AddDialog urls={dialog.urls} /> : null;
}

function openDialog(urls: string[] = []) {
  act(() => useUi.getState().openDialog({ kind: 'add', urls }));
}

beforeEach(() => {
  render(<Host />);
});

describe('AddDialog', () => {
  it('submits three URLs with the default folder and the connections', async () => {
    const fake = installFerry();
    openDialog();
    const box = screen.getByLabelText(/Links, one per line/);
    await screen.findByText('/home/ada/Downloads');
    fireEvent.change(box, { target: { value: 'https://a.example/1.iso\nhttps://b.example/2.iso\n\nhttps://c.example/3.iso\n' } });
    fireEvent.change(screen.getByLabelText('Connections'), { target: { value: '4' } });
    expect((screen.getByLabelText('File name') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(useUi.getState().dialog).toBeNull());
    expect(fake.callsOf('add')).toEqual([
      { urls: ['https://a.example/1.iso', 'https://b.example/2.iso', 'https://c.example/3.iso'], folderId: 'default', connections: 4 },
    ]);
  });

  it('sends a file name only with a single link, and the picked folder', async () => {
    const fake = installFerry();
    openDialog(['https://a.example/x']);
    await screen.findByText('/home/ada/Downloads');
    fireEvent.click(screen.getByRole('button', { name: 'Change…' }));
    await screen.findByText('/mnt/big/isos');
    fireEvent.change(screen.getByLabelText('File name'), { target: { value: 'renamed.bin' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(fake.callsOf('add')).toHaveLength(1));
    expect(fake.callsOf('add')[0]).toEqual({ urls: ['https://a.example/x'], folderId: 'picked-1', connections: 8, fileName: 'renamed.bin' });
  });

  it('sends a checksum with a single link, and never with several', async () => {
    const fake = installFerry();
    openDialog(['https://a.example/x.iso']);
    await screen.findByText('/home/ada/Downloads');
    const sum = `sha-256=${'ab'.repeat(32)}`;
    fireEvent.change(screen.getByLabelText('Checksum'), { target: { value: ` ${sum} ` } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(fake.callsOf('add')).toHaveLength(1));
    expect(fake.callsOf('add')[0]).toMatchObject({ urls: ['https://a.example/x.iso'], checksum: sum });

    openDialog(['https://a.example/1', 'https://a.example/2']);
    await screen.findByText('/home/ada/Downloads');
    expect((screen.getByLabelText('Checksum') as HTMLInputElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(fake.callsOf('add')).toHaveLength(2));
    expect(fake.callsOf('add')[1]).not.toHaveProperty('checksum');
  });

  it('keeps refused links in the box with main’s reason', async () => {
    installFerry({
      add: (req: { urls: string[] }) => ({
        added: [],
        rejected: req.urls
          .filter((u) => u.startsWith('ftp'))
          .map((url) => ({ url, error: { code: 'INVALID_URL', message: 'Only http and https links can be downloaded, not ftp.' } })),
      }),
    });
    openDialog(['https://ok.example/a', 'ftp://old.example/b']);
    await screen.findByText('/home/ada/Downloads');
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('ftp://old.example/b');
    expect(alert.textContent).toContain('Only http and https links can be downloaded, not ftp.');
    expect((screen.getByLabelText(/Links, one per line/) as HTMLTextAreaElement).value).toBe('ftp://old.example/b');
    expect(useUi.getState().dialog).not.toBeNull();
  });

  it('Cancel and Escape close without adding', async () => {
    const fake = installFerry();
    openDialog(['https://a.example/x']);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(useUi.getState().dialog).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull();
    openDialog(['https://a.example/x']);
    act(() => {
      fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.callsOf('add')).toEqual([]);
  });
});
