// @vitest-environment jsdom
// Remove asks whether to keep or delete the file, and sends exactly that answer.
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { RemoveDialog } from '../../renderer/components/RemoveDialog.js';
import { useDownloads } from '../../renderer/state/downloads-store.js';
import { useUi } from '../../renderer/state/ui-store.js';
import { installFerry } from './dom-helpers.js';
import { snapshot } from './fake-ferry.js';

function open(ids: number[]) {
  useDownloads.getState().load([snapshot({ id: 1, fileName: 'movie.mkv' }), snapshot({ id: 2 })]);
  useUi.getState().openDialog({ kind: 'remove', ids });
  return render(<RemoveDialog ids={ids} />);
}

describe('RemoveDialog', () => {
  it('names the download and focuses the safe answer', () => {
    installFerry();
    open([1]);
    expect(screen.getByRole('dialog').textContent).toContain('“movie.mkv”');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove, keep file' }));
  });

  it('keep file → remove with deleteFile false', async () => {
    const fake = installFerry();
    open([1]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove, keep file' }));
    await waitFor(() => expect(useUi.getState().dialog).toBeNull());
    expect(fake.callsOf('remove')).toEqual([{ ids: [1], deleteFile: false }]);
  });

  it('delete file → remove with deleteFile true, for every selected download', async () => {
    const fake = installFerry();
    open([1, 2]);
    expect(screen.getByRole('dialog').textContent).toContain('2 downloads');
    fireEvent.click(screen.getByRole('button', { name: 'Remove and delete files' }));
    await waitFor(() => expect(fake.callsOf('remove')).toEqual([{ ids: [1, 2], deleteFile: true }]));
  });

  it('Cancel removes nothing', () => {
    const fake = installFerry();
    open([1]);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(useUi.getState().dialog).toBeNull();
    expect(fake.callsOf('remove')).toEqual([]);
  });
});
