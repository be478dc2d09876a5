// Finding things in the window the way a user does: a download's row by its file name, its status
// word, and waiting on conditions (never on time).
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { sha256File } from '../helpers/files.js';
import type { FerryApp } from './harness.js';

export function row(page: Page, fileName: string): Locator {
  return page.getByRole('grid', { name: 'Downloads' }).getByRole('row').filter({ has: page.getByText(fileName, { exact: true }) });
}

export function statusOf(page: Page, fileName: string): Promise<string | null> {
  return row(page, fileName).locator('.badge').textContent({ timeout: 2000 }).catch(() => null);
}

export async function waitForStatus(page: Page, fileName: string, status: string, timeout = 20_000): Promise<void> {
  await expect.poll(() => statusOf(page, fileName), { timeout, interval: 100 }).toBe(status);
}

/** The engine's view of a download by file name (for bytes and ids the UI does not print exactly). */
export function engineDownload(app: FerryApp, fileName: string) {
  return app.engine.list().find((d) => d.fileName === fileName);
}

export async function expectFileSha(app: FerryApp, fileName: string, sha: string): Promise<void> {
  expect(await sha256File(path.join(app.downloadsDir, fileName))).toBe(sha);
}
