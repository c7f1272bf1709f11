/**
 * The one app window, locked down: context isolation, sandbox, no Node, a preload that
 * exposes only `window.cloudSync`, pages only from app://cloud-sync, no navigation away, no
 * new windows, no webviews, no permissions.
 */
import { BrowserWindow, session, type App, type WebContents } from 'electron';
import type { Logger } from '../core/log/logger.js';
import type { PushChannel, PushContract, View } from '../shared/ipc.js';
import { APP_ENTRY } from './app-protocol.js';
import { APP_ORIGIN } from './ipc/gate.js';

const isAppUrl = (url: string): boolean => url.startsWith(`${APP_ORIGIN}/`);

/** Applies to every web contents the app will ever create, before any of them exists. */
export function hardenWebContents(electronApp: App, logger: Logger): void {
  electronApp.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      logger.warn(`refused to open a window for ${url}`);
      return { action: 'deny' };
    });
    const stayHome = (event: { preventDefault(): void }, url: string) => {
      if (isAppUrl(url)) return;
      event.preventDefault();
      logger.warn(`refused to navigate to ${url}`);
    };
    contents.on('will-navigate', stayHome);
    contents.on('will-redirect', stayHome);
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  // No camera, notifications-from-the-page, geolocation, clipboard reads, …: nothing asks.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

export interface MainWindowOptions {
  preload: string;
  icon: string;
}

export class MainWindow {
  private win: BrowserWindow | undefined;

  constructor(private readonly options: MainWindowOptions) {}

  /** The webContents ids the IPC gate may trust (only while they show the app's page). */
  ids(): number[] {
    return this.win && !this.win.isDestroyed() ? [this.win.webContents.id] : [];
  }

  show(view: View): void {
    if (!this.win || this.win.isDestroyed()) {
      this.win = this.create();
      // The page picks its first view from the snapshot; a request for Settings comes after.
      if (view === 'settings')
        this.win.webContents.once('did-finish-load', () => this.send('view:show', view));
      return;
    }
    if (this.win.isMinimized()) this.win.restore();
    this.win.show();
    this.win.focus();
    this.send('view:show', view);
  }

  send<C extends PushChannel>(channel: C, payload: PushContract[C]): void {
    const win = this.win;
    if (!win || win.isDestroyed() || win.webContents.isLoading()) return;
    win.webContents.send(channel, payload);
  }

  private create(): BrowserWindow {
    const win = new BrowserWindow({
      width: 1000,
      height: 760,
      minWidth: 560,
      minHeight: 420,
      show: false,
      title: 'cloud-sync',
      icon: this.options.icon,
      autoHideMenuBar: true,
      webPreferences: {
        preload: this.options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
        navigateOnDragDrop: false,
      },
    });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (this.win === win) this.win = undefined;
    });
    void win.loadURL(APP_ENTRY);
    return win;
  }
}
