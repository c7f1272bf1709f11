/**
 * The two seams of the Electron main process, kept small so its wiring can be tested with
 * fakes: `EngineHost` is the engine as the app sees it (composed from the very same core
 * modules the daemon uses, see compose.ts), `DesktopShell` is Electron as the app uses it
 * (tray, notifications, dialogs, window; see electron-shell.ts).
 */
import type { AccountInfo } from '../shared/app-state.js';
import type { AuthState, EngineEvent, RoundSummary } from '../shared/events.js';
import type { PushChannel, PushContract, View } from '../shared/ipc.js';
import type { TrayModel } from './tray-model.js';

export interface RoundRequest {
  full: boolean;
  /** Go ahead with a deletion the mass-delete guard stopped. */
  allowMassDelete?: boolean;
}

export interface EngineHost {
  readonly account: AccountInfo;
  /** Engine events (rounds, progress, auth). Returns the unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void;
  /** Called when paused / nextRunAt / auth state change outside of events. */
  onChange(listener: () => void): () => void;
  /** Starts the scheduler (first round right away) and, for the Web flow, the OAuth listener. */
  start(): Promise<void>;
  /** Asks for a round now; while one runs, it becomes the follow-up round. */
  trigger(request: RoundRequest): void;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  nextRunAt(): Date | null;
  auth(): { state: AuthState; account?: string };
  /** Opens the sign-in in the system browser; resolves once authorized. */
  authorize(signal?: AbortSignal): Promise<void>;
  /** Finished rounds from the state store, newest first. */
  recentRounds(limit: number): RoundSummary[];
  /** Stops scheduling and lets in-flight transfers checkpoint, waiting at most `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/** Builds the host for a config file; throws ConfigError when the file is missing or invalid. */
export type HostFactory = (configFile: string) => Promise<EngineHost>;

export interface Notice {
  title: string;
  body: string;
  /** What clicking the notification does (a tray menu action). */
  action: 'authorize' | 'open-window' | 'review-deletions';
}

export interface ConfirmDialog {
  title: string;
  message: string;
  detail: string;
  confirmLabel: string;
}

export interface DesktopShell {
  setTray(model: TrayModel): void;
  notify(notice: Notice, onClick: () => void): void;
  confirm(dialog: ConfirmDialog): Promise<boolean>;
  /** Shows (creating if needed) the window on a view. */
  showWindow(view: View): void;
  /** Pushes to the window when it is open; dropped otherwise (it loads a snapshot on open). */
  send<C extends PushChannel>(channel: C, payload: PushContract[C]): void;
  openPath(path: string): Promise<void>;
  getStartAtLogin(): boolean;
  setStartAtLogin(on: boolean): void;
  /** Leaves the app for real (after shutdown). */
  exit(): void;
}
