// Where the window was and how big, remembered in a small JSON file beside the database. A saved
// position is used only while some display still shows enough of it: a monitor that was unplugged
// must not leave the window open somewhere nobody can see.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { BrowserWindowLike, Rectangle } from './pieces.js';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_STATE: WindowState = { width: 1100, height: 720, maximized: false };
export const MIN_SIZE = { width: 640, height: 420 };
// This much of the title bar must be on a display for a saved position to count as visible.
const VISIBLE = { width: 120, height: 40 };
const SAVE_DELAY_MS = 500;

const schema = z.object({
  x: z.int().optional(),
  y: z.int().optional(),
  width: z.int().min(MIN_SIZE.width).max(20_000),
  height: z.int().min(MIN_SIZE.height).max(20_000),
  maximized: z.boolean(),
});

export function loadWindowState(file: string, workAreas: Rectangle[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_STATE };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ...DEFAULT_STATE };
  const state = parsed.data;
  if (state.x === undefined || state.y === undefined) return { width: state.width, height: state.height, maximized: state.maximized };
  const bounds = { x: state.x, y: state.y, width: state.width, height: state.height };
  if (!workAreas.some((area) => overlap(bounds, area))) return { width: state.width, height: state.height, maximized: state.maximized };
  return state;
}

function overlap(a: Rectangle, b: Rectangle): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= VISIBLE.width && h >= VISIBLE.height;
}

export function saveWindowState(file: string, state: WindowState): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Write then rename, so a crash mid-write leaves the previous state rather than half a file.
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, file);
  } catch (error) {
    console.error('ferry: could not save the window state:', error);
  }
}

/** Saves the normal (unmaximized) bounds shortly after each move or resize, and on close. */
export function trackWindowState(win: BrowserWindowLike, file: string): void {
  let timer: NodeJS.Timeout | null = null;
  const capture = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    saveWindowState(file, { ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(capture, SAVE_DELAY_MS);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', capture);
}
