/**
 * What the tray and the window show, derived from engine events by ONE reducer that both the
 * main process (tray) and the window run. The host part (configured, paused, account) comes
 * from the app itself; everything about rounds comes from engine events only.
 */
import type {
  ActionKind,
  AuthState,
  EngineEvent,
  ItemFailure,
  ItemInFlight,
  Phase,
  ProgressCounts,
  RoundSummary,
} from './events.js';

export type AuthFlow = 'desktop' | 'web';

export interface AccountInfo {
  /** The OneDrive user, once known from an auth event. */
  user?: string;
  bucket?: string;
  prefix?: string;
  region?: string;
  endpoint?: string;
  flow?: AuthFlow;
}

/** The app's own state: everything not derived from engine events. */
export interface HostStatus {
  configured: boolean;
  /** The validator's message when the config cannot be used. */
  configProblem?: string;
  paused: boolean;
  startAtLogin: boolean;
  /** ISO time of the next scheduled round, when one is scheduled. */
  nextRunAt?: string;
  account: AccountInfo;
}

export interface ErrorEntry extends ItemFailure {
  at: string;
  roundId: number;
}

export interface CurrentRound {
  roundId: number | undefined;
  full: boolean;
  phase: Phase;
  startedAt: string;
  counts: ProgressCounts;
  inFlight: ItemInFlight[];
  lastDone?: { path: string; action: ActionKind; bytes: number };
}

export interface MassDeleteStop {
  roundId: number;
  at: string;
  wouldDelete: number;
  limit: number;
  message: string;
}

export interface EngineView {
  phase: Phase;
  auth: { state: AuthState; account?: string; message?: string };
  current?: CurrentRound;
  /** Finished rounds, newest first. */
  history: RoundSummary[];
  /** Failures not yet resolved by a later success of the same path, newest first. */
  errors: ErrorEntry[];
  massDelete?: MassDeleteStop;
  throttled?: { service: 'graph' | 's3'; until: string };
}

export interface AppSnapshot {
  v: 1;
  status: HostStatus;
  engine: EngineView;
}

export const HISTORY_LIMIT = 30;
export const ERRORS_LIMIT = 200;

export const ACTIVE_PHASES: readonly Phase[] = ['listing', 'transferring', 'finishing'];
export const isActive = (phase: Phase): boolean => ACTIVE_PHASES.includes(phase);

const zeroCounts = (): ProgressCounts => ({
  filesDone: 0,
  filesTotal: 0,
  filesFailed: 0,
  bytesDone: 0,
  bytesTotal: 0,
  rate: 0,
  etaSeconds: null,
});

export function emptyEngineView(history: RoundSummary[] = []): EngineView {
  return { phase: 'idle', auth: { state: 'not-authorized' }, history, errors: [] };
}

function roundStarting(
  view: EngineView,
  at: string,
  phase: Phase,
  full: boolean | undefined,
  id?: number,
): CurrentRound {
  const c = view.current;
  // The engine may learn only after listing began that a round is full (no cursor yet).
  if (c && (id === undefined || c.roundId === id))
    return { ...c, phase, roundId: id ?? c.roundId, full: full ?? c.full };
  return {
    roundId: id,
    full: full ?? false,
    phase,
    startedAt: at,
    counts: zeroCounts(),
    inFlight: [],
  };
}

/** Applies one engine event. Pure: returns a new view, never mutates the old one. */
export function reduceEngine(view: EngineView, event: EngineEvent): EngineView {
  switch (event.type) {
    case 'phase': {
      const next: EngineView = { ...view, phase: event.phase };
      if (isActive(event.phase)) {
        next.current = roundStarting(
          view,
          event.at,
          event.phase,
          event.full ?? false,
          event.roundId,
        );
        if (event.phase === 'listing') delete next.massDelete;
      } else if (event.phase === 'idle' || event.phase === 'paused') {
        delete next.current;
      }
      if (event.phase === 'needs-authorization')
        next.auth = { ...view.auth, state: 'needs-authorization' };
      return next;
    }
    case 'progress': {
      const current = view.current ?? roundStarting(view, event.at, 'transferring', undefined);
      return {
        ...view,
        current: {
          ...current,
          roundId: event.roundId,
          counts: event.counts,
          inFlight: event.inFlight,
        },
      };
    }
    case 'item-done': {
      const errors = view.errors.filter((e) => e.path !== event.path);
      const lastDone = { path: event.path, action: event.action, bytes: event.bytes };
      return {
        ...view,
        errors: errors.length === view.errors.length ? view.errors : errors,
        ...(view.current ? { current: { ...view.current, lastDone } } : {}),
      };
    }
    case 'item-error': {
      if (event.willRetry) return view;
      const entry: ErrorEntry = { ...event.failure, at: event.at, roundId: event.roundId };
      const rest = view.errors.filter((e) => e.path !== entry.path);
      return { ...view, errors: [entry, ...rest].slice(0, ERRORS_LIMIT) };
    }
    case 'round-finished': {
      const s = event.summary;
      const history = [s, ...view.history.filter((h) => h.roundId !== s.roundId)].slice(
        0,
        HISTORY_LIMIT,
      );
      const next: EngineView = { ...view, history };
      if (view.current?.roundId === undefined || view.current.roundId === s.roundId)
        delete next.current;
      return next;
    }
    case 'auth': {
      const auth: EngineView['auth'] = { state: event.state };
      const account = event.account ?? view.auth.account;
      if (account !== undefined) auth.account = account;
      if (event.message !== undefined) auth.message = event.message;
      return { ...view, auth };
    }
    case 'mass-delete-stopped': {
      const { roundId, at, wouldDelete, limit, message } = event;
      return { ...view, massDelete: { roundId, at, wouldDelete, limit, message } };
    }
    case 'throttled': {
      const until = new Date(Date.parse(event.at) + event.retryAfterSeconds * 1000).toISOString();
      return { ...view, throttled: { service: event.service, until } };
    }
  }
}

/** The user dismissed the mass-delete banner (or confirmed it: a new round clears it anyway). */
export function withoutMassDelete(view: EngineView): EngineView {
  const next = { ...view };
  delete next.massDelete;
  return next;
}
