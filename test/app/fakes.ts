// Fakes for the two seams of the main process: Electron (DesktopShell) and the engine (EngineHost).
import type {
  ConfirmDialog,
  DesktopShell,
  EngineHost,
  Notice,
  RoundRequest,
} from '../../src/app/ports.js';
import type { TrayModel } from '../../src/app/tray-model.js';
import type { AuthState, EngineEvent, RoundSummary } from '../../src/shared/events.js';
import type { PushChannel, PushContract, View } from '../../src/shared/ipc.js';

export class FakeShell implements DesktopShell {
  trays: TrayModel[] = [];
  notices: Array<{ notice: Notice; click: () => void }> = [];
  dialogs: ConfirmDialog[] = [];
  windows: View[] = [];
  sent: Array<{ channel: PushChannel; payload: unknown }> = [];
  opened: string[] = [];
  loginItem = false;
  exited = 0;
  answer = true;

  get tray(): TrayModel {
    const last = this.trays.at(-1);
    if (!last) throw new Error('tray never drawn');
    return last;
  }
  setTray(model: TrayModel): void {
    this.trays.push(model);
  }
  notify(notice: Notice, onClick: () => void): void {
    this.notices.push({ notice, click: onClick });
  }
  async confirm(dialog: ConfirmDialog): Promise<boolean> {
    this.dialogs.push(dialog);
    return this.answer;
  }
  showWindow(view: View): void {
    this.windows.push(view);
  }
  send<C extends PushChannel>(channel: C, payload: PushContract[C]): void {
    this.sent.push({ channel, payload });
  }
  async openPath(path: string): Promise<void> {
    this.opened.push(path);
  }
  getStartAtLogin(): boolean {
    return this.loginItem;
  }
  setStartAtLogin(on: boolean): void {
    this.loginItem = on;
  }
  exit(): void {
    this.exited++;
  }
}

export class FakeHost implements EngineHost {
  readonly account = { bucket: 'backup', prefix: 'od/', flow: 'desktop' as const };
  listeners = new Set<(e: EngineEvent) => void>();
  changeListeners = new Set<() => void>();
  triggers: RoundRequest[] = [];
  started = 0;
  stops: number[] = [];
  authorizations = 0;
  paused = false;
  authState: AuthState = 'authorized';
  rounds: RoundSummary[] = [];

  subscribe(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }
  emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }
  async start(): Promise<void> {
    this.started++;
  }
  trigger(request: RoundRequest): void {
    this.triggers.push(request);
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  nextRunAt(): Date | null {
    return this.paused ? null : new Date('2025-03-12T11:15:00.000Z');
  }
  auth(): { state: AuthState; account?: string } {
    return { state: this.authState, account: 'ada@example.com' };
  }
  async authorize(): Promise<void> {
    this.authorizations++;
  }
  recentRounds(limit: number): RoundSummary[] {
    return this.rounds.slice(0, limit);
  }
  async stop(graceMs: number): Promise<void> {
    this.stops.push(graceMs);
  }
}
