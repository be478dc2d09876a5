// The parts of Electron the glue uses, as small structural types. Real Electron satisfies them
// (main.ts passes the real module and the compiler checks it); the glue tests pass a hand-written
// fake that implements just these, so no test ever needs the Electron binary.
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions, Rectangle } from 'electron';

export type MenuTemplate = MenuItemConstructorOptions[];
export type { BrowserWindowConstructorOptions, Rectangle };

/** What Electron's Menu.buildFromTemplate returns; opaque to the glue. */
export type MenuHandle = object;

export interface MenuPiece {
  buildFromTemplate(template: MenuTemplate): MenuHandle;
  setApplicationMenu(menu: MenuHandle | null): void;
}

export interface TrayLike {
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuHandle | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** Constructed from the icon's path (Electron loads it, from inside the asar too). */
export type TrayPiece = new (iconPath: string) => TrayLike;

export interface NotificationLike {
  show(): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface NotificationPiece {
  new (options: { title: string; body: string; icon?: string; silent?: boolean }): NotificationLike;
  isSupported(): boolean;
}

export interface PreventableEvent {
  preventDefault(): void;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'did-finish-load', listener: () => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainPiece {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface SessionLike {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

export interface ShellPiece {
  openPath(path: string): Promise<string>;
  showItemInFolder(fullPath: string): void;
}

export interface DialogPiece {
  showOpenDialog(options: { title?: string; properties?: ('openDirectory' | 'createDirectory')[] }): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadFile(filePath: string): Promise<void>;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rectangle;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'resize' | 'move' | 'closed', listener: () => void): unknown;
}

export type BrowserWindowPiece = new (options: BrowserWindowConstructorOptions) => BrowserWindowLike;

export interface ScreenPiece {
  getAllDisplays(): { workArea: Rectangle }[];
}

export interface AppLike {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData' | 'downloads'): string;
  getAppPath(): string;
  quit(): void;
  exit(exitCode?: number): void;
  on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
  on(event: 'before-quit' | 'will-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'window-all-closed' | 'activate', listener: () => void): unknown;
}

/** Everything the glue takes from Electron, in one object: `import * as electron` or a fake. */
export interface ElectronPieces {
  app: AppLike;
  BrowserWindow: BrowserWindowPiece;
  Menu: MenuPiece;
  Tray: TrayPiece;
  Notification: NotificationPiece;
  ipcMain: IpcMainPiece;
  session: { defaultSession: SessionLike };
  screen: ScreenPiece;
  shell: ShellPiece;
  dialog: DialogPiece & { showErrorBox(title: string, content: string): void };
}
