// The one fake the tests allow: a hand-written `electron` with just the pieces the glue uses. It
// records what the glue asked for (window options, menus, tooltips, IPC handlers, sent events) and
// lets a test play the user and the OS (click a menu item, close the window, launch a second copy).
import type {
  AppLike,
  BrowserWindowConstructorOptions,
  ElectronPieces,
  IpcInvokeEventLike,
  MenuTemplate,
  PreventableEvent,
  Rectangle,
  SessionLike,
  WebContentsLike,
} from '../../main/app/pieces.js';

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped = ((...args: never[]) => {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== wrapped));
      return listener(...args);
    }) as Listener;
    return this.on(event, wrapped);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => unknown)(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export function preventable(): PreventableEvent & { prevented: boolean } {
  const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
  return e;
}

export class FakeWebContents extends Emitter implements WebContentsLike {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  openHandler: ((details: { url: string }) => { action: 'deny' } | { action: 'allow' }) | null = null;
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, payload: args[0] });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void {
    this.openHandler = handler;
  }
  /** Plays a navigation the page started; true when the glue let it happen. */
  navigate(url: string, event: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const e = preventable();
    this.emit(event, e, url);
    return !e.prevented;
  }
}

export class FakeBrowserWindow extends Emitter {
  static instances: FakeBrowserWindow[] = [];
  /** Like Electron, a new window's web contents is announced on the app. */
  static app: Emitter | null = null;
  readonly webContents = new FakeWebContents();
  loaded: { file?: string; url?: string } = {};
  visible = false;
  focused = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  bounds: Rectangle;
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    FakeBrowserWindow.instances.push(this);
    FakeBrowserWindow.app?.emit('web-contents-created', {}, this.webContents);
  }
  async loadFile(file: string) {
    this.loaded = { file };
  }
  async loadURL(url: string) {
    this.loaded = { url };
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {
    this.focused = true;
  }
  restore() {
    this.minimized = false;
  }
  maximize() {
    this.maximized = true;
  }
  isMinimized() {
    return this.minimized;
  }
  isMaximized() {
    return this.maximized;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  /** The user clicks the close button; true when the window really closed. */
  userClose(): boolean {
    const e = preventable();
    this.emit('close', e);
    if (e.prevented) return false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    return true;
  }
}

export interface FakeMenu {
  template: MenuTemplate;
}

export class FakeTray extends Emitter {
  static instances: FakeTray[] = [];
  tooltip = '';
  menu: FakeMenu | null = null;
  menuBuilds = 0;
  destroyed = false;
  constructor(readonly iconPath: string) {
    super();
    FakeTray.instances.push(this);
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: object | null) {
    this.menu = menu as FakeMenu | null;
    this.menuBuilds++;
  }
  destroy() {
    this.destroyed = true;
  }
  /** A top-level menu item by label; throws so a renamed item fails the test loudly. */
  item(label: string) {
    const found = this.menu?.template.find((i) => i.label === label);
    if (!found) throw new Error(`tray menu has no "${label}": ${JSON.stringify(this.menu?.template.map((i) => i.label))}`);
    return found;
  }
}

export class FakeNotification extends Emitter {
  static instances: FakeNotification[] = [];
  static supported = true;
  shown = false;
  constructor(readonly options: { title: string; body: string; icon?: string }) {
    super();
    FakeNotification.instances.push(this);
  }
  static isSupported() {
    return FakeNotification.supported;
  }
  show() {
    this.shown = true;
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke from a frame at `frameUrl` would get (null: the frame is gone). */
  async invoke(channel: string, payload: unknown, frameUrl: string | null): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender: { id: 1 }, senderFrame: frameUrl === null ? null : { url: frameUrl } }, payload);
  }
}

export class FakeSession implements SessionLike {
  headersListener: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0] | null = null;
  permissionHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  permissionCheck: ((wc: unknown, permission: string) => boolean) | null = null;
  webRequest = {
    onHeadersReceived: (listener: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0]) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void) {
    this.permissionHandler = handler;
  }
  setPermissionCheckHandler(handler: (wc: unknown, permission: string) => boolean) {
    this.permissionCheck = handler;
  }
  /** The headers a response would end up with. */
  headersFor(responseHeaders: Record<string, string[]>): Record<string, string[] | string> | undefined {
    let out: Record<string, string[] | string> | undefined;
    this.headersListener?.({ responseHeaders }, (r) => void (out = r.responseHeaders));
    return out;
  }
}

export class FakeApp extends Emitter implements AppLike {
  isPackaged = false;
  lock = true;
  quitCalls = 0;
  exitCode: number | null = null;
  quitted = false;
  constructor(
    readonly paths: { userData: string; downloads: string; appPath: string },
  ) {
    super();
  }
  requestSingleInstanceLock() {
    return this.lock;
  }
  async whenReady() {}
  getPath(name: 'userData' | 'downloads') {
    return this.paths[name];
  }
  getAppPath() {
    return this.paths.appPath;
  }
  /** Electron's order: before-quit, then will-quit (either may be prevented), then the end. */
  quit() {
    this.quitCalls++;
    const before = preventable();
    this.emit('before-quit', before);
    if (before.prevented) return;
    const will = preventable();
    this.emit('will-quit', will);
    if (!will.prevented) this.quitted = true;
  }
  exit(code = 0) {
    this.exitCode = code;
  }
}

export interface FakeElectron extends ElectronPieces {
  app: FakeApp;
  ipcMain: FakeIpcMain;
  session: { defaultSession: FakeSession };
  menus: { application: FakeMenu | null };
  shellCalls: { op: string; path: string }[];
  dialogAnswers: (string | null)[];
  errorBoxes: { title: string; content: string }[];
}

export function createFakeElectron(paths: { userData: string; downloads: string; appPath: string }): FakeElectron {
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeNotification.instances = [];
  FakeNotification.supported = true;
  const fake: FakeElectron = {
    app: new FakeApp(paths),
    BrowserWindow: FakeBrowserWindow,
    Menu: {
      buildFromTemplate: (template: MenuTemplate): FakeMenu => ({ template }),
      setApplicationMenu: (menu: object | null) => void (fake.menus.application = menu as FakeMenu | null),
    },
    Tray: FakeTray,
    Notification: FakeNotification,
    ipcMain: new FakeIpcMain(),
    session: { defaultSession: new FakeSession() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: {
      openPath: async (p: string) => {
        fake.shellCalls.push({ op: 'openPath', path: p });
        return '';
      },
      showItemInFolder: (p: string) => void fake.shellCalls.push({ op: 'showItemInFolder', path: p }),
    },
    dialog: {
      showOpenDialog: async () => {
        const answer = fake.dialogAnswers.shift() ?? null;
        return answer === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [answer] };
      },
      showErrorBox: (title: string, content: string) => void fake.errorBoxes.push({ title, content }),
    },
    menus: { application: null },
    shellCalls: [],
    dialogAnswers: [],
    errorBoxes: [],
  };
  FakeBrowserWindow.app = fake.app;
  return fake;
}
