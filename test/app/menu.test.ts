// The application menu: standard roles per platform, Ferry's actions with their shortcuts.
import { describe, expect, it } from 'vitest';
import { appMenuTemplate, installAppMenu } from '../../main/app/menu.js';
import type { MenuTemplate } from '../../main/app/pieces.js';
import { createFakeElectron } from './fake-electron.js';

function actions() {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      addUrls: () => void calls.push('add'),
      pauseAll: () => void calls.push('pauseAll'),
      resumeAll: () => void calls.push('resumeAll'),
      quit: () => void calls.push('quit'),
    },
  };
}

const roles = (t: MenuTemplate): string[] =>
  t.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu as MenuTemplate) : [])]);
const items = (t: MenuTemplate): MenuTemplate => t.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu as MenuTemplate) : [])]);

describe('application menu', () => {
  it('has the standard roles, and the app menu only on macOS', () => {
    const { actions: a } = actions();
    const linux = roles(appMenuTemplate({ platform: 'linux', isDev: false, actions: a }));
    expect(linux).toEqual(expect.arrayContaining(['editMenu', 'windowMenu', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']));
    expect(linux).not.toContain('appMenu');
    expect(linux).not.toContain('toggleDevTools');
    const mac = roles(appMenuTemplate({ platform: 'darwin', isDev: true, actions: a }));
    expect(mac).toEqual(expect.arrayContaining(['appMenu', 'editMenu', 'windowMenu', 'toggleDevTools', 'reload']));
  });

  it('wires Ferry\'s actions to their shortcuts', () => {
    const { actions: a, calls } = actions();
    const all = items(appMenuTemplate({ platform: 'linux', isDev: false, actions: a }));
    const byLabel = new Map(all.filter((i) => i.label).map((i) => [i.label!, i]));
    expect(byLabel.get('Add Downloads…')?.accelerator).toBe('CmdOrCtrl+N');
    expect(byLabel.get('Pause All')?.accelerator).toBe('CmdOrCtrl+Shift+P');
    expect(byLabel.get('Resume All')?.accelerator).toBe('CmdOrCtrl+Shift+R');
    expect(byLabel.get('Quit')?.accelerator).toBe('CmdOrCtrl+Q');
    for (const label of ['Add Downloads…', 'Pause All', 'Resume All', 'Quit']) byLabel.get(label)!.click!({} as never, undefined, {} as never);
    expect(calls).toEqual(['add', 'pauseAll', 'resumeAll', 'quit']);
  });

  it('is installed as the application menu', () => {
    const electron = createFakeElectron({ userData: '/u', downloads: '/d', appPath: '/a' });
    installAppMenu(electron.Menu, { platform: 'win32', isDev: false, actions: actions().actions });
    expect(electron.menus.application?.template.map((i) => i.label ?? i.role)).toEqual(['&File', 'editMenu', '&View', 'windowMenu']);
  });
});
