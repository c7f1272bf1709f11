/**
 * The app's one piece of state and behaviour: it owns the engine host, reduces its events with
 * the same reducer the window runs, and keeps the tray, the window and notifications in step.
 * Electron stays behind `DesktopShell`, the engine behind `EngineHost` (ports.ts), so this is
 * tested with fakes.
 */
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log/logger.js';
import {
  emptyEngineView,
  HISTORY_LIMIT,
  reduceEngine,
  withoutMassDelete,
  type AppSnapshot,
  type EngineView,
  type HostStatus,
} from '../shared/app-state.js';
import type { EngineEvent } from '../shared/events.js';
import { timeFormat, type TimeFormat } from '../shared/format.js';
import type { SettingsCheck, SettingsForm, SettingsLoad } from '../shared/ipc.js';
import type { IpcHandlers } from './ipc/gate.js';
import { FULL_RESYNC_DIALOG, massDeleteDialog, noticeFor } from './notices.js';
import type { DesktopShell, EngineHost, HostFactory, Notice } from './ports.js';
import { trayModel, type MenuAction } from './tray-model.js';
import { redact } from '../core/log/redact.js';

export interface SettingsPort {
  load(): SettingsLoad;
  check(form: SettingsForm): SettingsCheck;
  save(form: SettingsForm): SettingsCheck;
}

export interface ControllerDeps {
  shell: DesktopShell;
  openHost: HostFactory;
  settings: SettingsPort;
  configFile: string;
  logFolder: string;
  logger: Logger;
  now: () => number;
  time?: TimeFormat;
  /** How long quitting waits for in-flight transfers to checkpoint. */
  graceMs?: number;
  /** Tray redraws at most this often while progress streams in (0: every change). */
  trayIntervalMs?: number;
}

/** Error text for the window and notifications: redacted, as everything a person sees. */
const message = (error: unknown): string =>
  redact(error instanceof Error ? error.message : String(error));

export class AppController {
  private host: EngineHost | undefined;
  private detach: Array<() => void> = [];
  private engine: EngineView = emptyEngineView();
  private configProblem: string | undefined;
  private trayTimer: ReturnType<typeof setTimeout> | undefined;
  private trayDrawnAt = 0;
  private stopping: Promise<void> | undefined;
  private readonly time: TimeFormat;

  constructor(private readonly deps: ControllerDeps) {
    this.time = deps.time ?? timeFormat(deps.now);
  }

  /** Opens the engine from config.toml; with no usable config, opens Settings instead. */
  async start(): Promise<void> {
    await this.openHost();
    this.drawTray();
    if (!this.host) this.deps.shell.showWindow('settings');
  }

  snapshot(): AppSnapshot {
    return { v: 1, status: this.status(), engine: this.engine };
  }

  status(): HostStatus {
    const host = this.host;
    const next = host?.nextRunAt();
    const user = this.engine.auth.account;
    return {
      configured: host !== undefined,
      ...(this.configProblem ? { configProblem: this.configProblem } : {}),
      paused: host?.paused ?? false,
      startAtLogin: this.deps.shell.getStartAtLogin(),
      ...(next ? { nextRunAt: next.toISOString() } : {}),
      account: { ...(host?.account ?? {}), ...(user ? { user } : {}) },
    };
  }

  private async openHost(): Promise<void> {
    let host: EngineHost;
    try {
      host = await this.deps.openHost(this.deps.configFile);
    } catch (error) {
      this.configProblem = message(error);
      this.deps.logger.warn(`not starting the engine: ${this.configProblem}`);
      return;
    }
    this.host = host;
    this.configProblem = undefined;
    this.engine = { ...emptyEngineView(host.recentRounds(HISTORY_LIMIT)), auth: host.auth() };
    this.detach.push(
      host.subscribe((event) => this.onEvent(event)),
      host.onChange(() => this.statusChanged()),
    );
    try {
      await host.start();
    } catch (error) {
      this.deps.logger.error('the engine could not start', error);
      this.notify({
        title: 'cloud-sync could not start',
        body: message(error),
        action: 'open-window',
      });
    }
  }

  private async closeHost(): Promise<void> {
    for (const off of this.detach.splice(0)) off();
    const host = this.host;
    this.host = undefined;
    await host?.stop(this.deps.graceMs ?? 10_000);
  }

  private onEvent(event: EngineEvent): void {
    const before = this.engine;
    this.engine = reduceEngine(before, event);
    const notice = noticeFor(before, event);
    if (notice) this.notify(notice);
    this.deps.shell.send('engine:event', event);
    this.drawTray();
  }

  private notify(notice: Notice): void {
    this.deps.shell.notify(notice, () => void this.menu(notice.action));
  }

  private statusChanged(): void {
    this.deps.shell.send('host:status', this.status());
    this.drawTray();
  }

  /** Redraws now, or once the interval has passed when progress streams in quickly. */
  private drawTray(): void {
    const interval = this.deps.trayIntervalMs ?? 1000;
    const wait = this.trayDrawnAt + interval - this.deps.now();
    if (interval > 0 && wait > 0) {
      this.trayTimer ??= setTimeout(() => {
        this.trayTimer = undefined;
        this.drawTray();
      }, wait);
      return;
    }
    this.trayDrawnAt = this.deps.now();
    this.deps.shell.setTray(trayModel(this.snapshot(), { ...this.time, now: this.deps.now() }));
  }

  private requireHost(): EngineHost {
    if (this.host) return this.host;
    throw new ConfigError(
      `cloud-sync is not set up yet${this.configProblem ? ` (${this.configProblem})` : ''}. Open Settings to finish.`,
      { code: 'not-configured' },
    );
  }

  syncNow(): boolean {
    this.requireHost().trigger({ full: false });
    return true;
  }

  async fullResync(): Promise<boolean> {
    const host = this.requireHost();
    if (!(await this.deps.shell.confirm(FULL_RESYNC_DIALOG))) return false;
    host.trigger({ full: true });
    return true;
  }

  setPaused(paused: boolean): void {
    const host = this.requireHost();
    if (paused) host.pause();
    else host.resume();
    this.statusChanged();
  }

  async resolveMassDelete(allow: boolean): Promise<boolean> {
    const host = this.requireHost();
    const stop = this.engine.massDelete;
    if (allow) {
      if (!(await this.deps.shell.confirm(massDeleteDialog(stop?.wouldDelete ?? 0)))) return false;
      host.trigger({ full: false, allowMassDelete: true });
    }
    this.engine = withoutMassDelete(this.engine);
    this.drawTray();
    return true;
  }

  async authorize(): Promise<void> {
    await this.requireHost().authorize();
  }

  async openLogs(): Promise<void> {
    await this.deps.shell.openPath(this.deps.logFolder);
  }

  async saveSettings(form: SettingsForm): Promise<SettingsCheck> {
    const result = this.deps.settings.save(form);
    if (!result.ok) return result;
    // Rebuild the engine on the new config; in-flight work checkpoints first.
    await this.closeHost();
    await this.openHost();
    this.statusChanged();
    return result;
  }

  /** Tray menu and notification clicks. Failures are told, never thrown into Electron. */
  async menu(action: MenuAction): Promise<void> {
    const { shell } = this.deps;
    try {
      switch (action) {
        case 'sync-now':
          this.syncNow();
          return;
        case 'full-resync':
          await this.fullResync();
          return;
        case 'toggle-pause':
          this.setPaused(!this.host?.paused);
          return;
        case 'authorize':
          await this.authorize();
          return;
        case 'review-deletions':
        case 'open-window':
          shell.showWindow('dashboard');
          return;
        case 'settings':
          shell.showWindow('settings');
          return;
        case 'open-logs':
          await this.openLogs();
          return;
        case 'start-at-login':
          shell.setStartAtLogin(!shell.getStartAtLogin());
          this.statusChanged();
          return;
        case 'quit':
          await this.shutdown();
          shell.exit();
          return;
      }
    } catch (error) {
      this.deps.logger.warn(`${action} failed: ${message(error)}`);
      this.notify({ title: 'cloud-sync', body: message(error), action: 'open-window' });
    }
  }

  /** Stops the scheduler with a bounded wait so transfers checkpoint; safe to call twice. */
  shutdown(): Promise<void> {
    if (this.trayTimer) clearTimeout(this.trayTimer);
    this.stopping ??= this.closeHost();
    return this.stopping;
  }

  handlers(): IpcHandlers {
    return {
      'snapshot:get': async () => this.snapshot(),
      'sync:start': async ({ full }) => (full ? this.fullResync() : this.syncNow()),
      'sync:pause': async ({ paused }) => {
        this.setPaused(paused);
        return null;
      },
      'mass-delete:resolve': ({ allow }) => this.resolveMassDelete(allow),
      'auth:start': async () => {
        await this.authorize();
        return null;
      },
      'logs:open': async () => {
        await this.openLogs();
        return null;
      },
      'settings:get': async () => this.deps.settings.load(),
      'settings:check': async (form) => this.deps.settings.check(form),
      'settings:save': (form) => this.saveSettings(form),
    };
  }
}
