/**
 * DesktopShell over Electron: the tray, notifications, dialogs, the window, login items. Thin
 * on purpose; the decisions are in the controller and the tray model, tested without Electron.
 */
import {
  app,
  dialog,
  Menu,
  nativeImage,
  Notification,
  shell,
  type NativeImage,
  type Tray,
} from 'electron';
import { join } from 'node:path';
import type { Logger } from '../core/log/logger.js';
import type { PushChannel, PushContract, View } from '../shared/ipc.js';
import type { LoginItem } from './autostart.js';
import type { ConfirmDialog, DesktopShell, Notice } from './ports.js';
import { menuTemplate } from './tray-menu.js';
import type { MenuAction, TrayIcon, TrayModel } from './tray-model.js';
import type { MainWindow } from './window.js';

export interface ElectronShellDeps {
  tray: Tray;
  window: MainWindow;
  /** Folder with ok.png, ok@2x.png, … (Electron picks @2x on high-density screens). */
  iconDir: string;
  loginItem: LoginItem;
  logger: Logger;
  onMenu: (action: MenuAction) => void;
}

export class ElectronShell implements DesktopShell {
  private readonly icons = new Map<TrayIcon, NativeImage>();
  /** Notifications are garbage-collected (and lose their click handler) unless referenced. */
  private readonly live = new Set<Notification>();

  constructor(private readonly deps: ElectronShellDeps) {}

  icon(name: TrayIcon, scale: '' | '@8x' = ''): NativeImage {
    const key = `${name}${scale}` as TrayIcon;
    let image = this.icons.get(key);
    if (!image) {
      image = nativeImage.createFromPath(join(this.deps.iconDir, `${name}${scale}.png`));
      this.icons.set(key, image);
    }
    return image;
  }

  setTray(model: TrayModel): void {
    const { tray } = this.deps;
    tray.setImage(this.icon(model.icon));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(model, this.deps.onMenu)));
  }

  notify(notice: Notice, onClick: () => void): void {
    if (!Notification.isSupported()) {
      this.deps.logger.info(`notification (not supported here): ${notice.title}: ${notice.body}`);
      return;
    }
    const n = new Notification({
      title: notice.title,
      body: notice.body,
      icon: this.icon('attention', '@8x'),
    });
    this.live.add(n);
    n.on('click', onClick);
    n.on('close', () => this.live.delete(n));
    n.show();
  }

  async confirm(d: ConfirmDialog): Promise<boolean> {
    const { response } = await dialog.showMessageBox({
      type: 'question',
      title: d.title,
      message: d.message,
      detail: d.detail,
      buttons: [d.confirmLabel, 'Cancel'],
      defaultId: 0,
      cancelId: 1,
      noLink: true,
    });
    return response === 0;
  }

  showWindow(view: View): void {
    this.deps.window.show(view);
  }

  send<C extends PushChannel>(channel: C, payload: PushContract[C]): void {
    this.deps.window.send(channel, payload);
  }

  async openPath(path: string): Promise<void> {
    const problem = await shell.openPath(path);
    if (problem) throw new Error(`Could not open ${path}: ${problem}`);
  }

  getStartAtLogin(): boolean {
    return this.deps.loginItem.get();
  }

  setStartAtLogin(on: boolean): void {
    this.deps.loginItem.set(on);
  }

  exit(): void {
    app.quit();
  }
}
