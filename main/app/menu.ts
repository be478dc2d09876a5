// The application menu: the platform's standard roles (so copy, paste, undo, zoom and window
// handling behave as users expect), plus Ferry's own actions with their shortcuts.
import type { MenuPiece, MenuTemplate } from './pieces.js';

export interface MenuActions {
  /** Opens the Add dialog (empty); the same as a drop with no URLs. */
  addUrls(): void;
  pauseAll(): void;
  resumeAll(): void;
  quit(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Development builds get reload and the developer tools. */
  isDev: boolean;
  actions: MenuActions;
}

export function appMenuTemplate({ platform, isDev, actions }: MenuOptions): MenuTemplate {
  const mac = platform === 'darwin';
  const template: MenuTemplate = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push({
    label: '&File',
    submenu: [
      { label: 'Add Downloads…', accelerator: 'CmdOrCtrl+N', click: () => actions.addUrls() },
      { type: 'separator' },
      { label: 'Pause All', accelerator: 'CmdOrCtrl+Shift+P', click: () => actions.pauseAll() },
      { label: 'Resume All', accelerator: 'CmdOrCtrl+Shift+R', click: () => actions.resumeAll() },
      { type: 'separator' },
      // On macOS Quit lives in the app menu; elsewhere File › Quit is where people look for it.
      mac ? { role: 'close' } : { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
    ],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: '&View',
    submenu: [
      ...(isDev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  return template;
}

export function installAppMenu(Menu: Pick<MenuPiece, 'buildFromTemplate' | 'setApplicationMenu'>, options: MenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)));
}
