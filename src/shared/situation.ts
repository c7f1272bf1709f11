/**
 * What state the app is in, in words: the icon, a headline, status lines and what can be done
 * now (and, in the first line, why not). The tray menu (src/app/tray-model.ts) and the window's
 * header and buttons both derive from this, so they never disagree.
 */
import { isActive, type AppSnapshot } from './app-state.js';
import type { RoundSummary } from './events.js';
import { formatCount, formatRate, middleEllipsis, plural, type TimeFormat } from './format.js';

export type StatusIcon = 'ok' | 'syncing' | 'paused' | 'attention';
export const STATUS_ICONS: readonly StatusIcon[] = ['ok', 'syncing', 'paused', 'attention'];

export interface SituationContext extends TimeFormat {
  now: number;
}

export function lastRoundLine(last: RoundSummary | undefined, fmt: SituationContext): string {
  if (!last) return 'Not synced yet';
  const at = fmt.time(last.finishedAt);
  switch (last.result) {
    case 'cancelled':
      return `Last sync stopped ${at}`;
    case 'stopped-mass-delete':
      return `Last sync ${at} · stopped before deleting`;
    case 'failed':
      return `Last sync ${at} failed${last.message ? `: ${middleEllipsis(last.message, 60)}` : ''}`;
    default:
      return `Last sync ${at} · ${formatCount(last.uploaded)} uploaded · ${formatCount(last.failed)} failed`;
  }
}

export interface Situation {
  icon: StatusIcon;
  /** One short phrase for the tooltip. */
  headline: string;
  /** Lines at the top of the menu; the first says why disabled items are disabled. */
  lines: string[];
  canSync: boolean;
  canAuthorize: boolean;
  canPause: boolean;
}

export function situation(state: AppSnapshot, fmt: SituationContext): Situation {
  const { status, engine } = state;
  const last = engine.history[0];
  const lastLine = lastRoundLine(last, fmt);
  if (!status.configured) {
    return {
      icon: 'attention',
      headline: 'Not set up',
      lines: ['Not set up — open Settings… to connect OneDrive and a bucket'],
      canSync: false,
      canAuthorize: false,
      canPause: false,
    };
  }
  const authorized = engine.auth.state === 'authorized' || engine.auth.state === 'refreshing';
  if (!authorized) {
    return {
      icon: 'attention',
      headline: 'Not authorized',
      lines: ['Not authorized — choose Authorize OneDrive…', lastLine],
      canSync: false,
      canAuthorize: true,
      canPause: true,
    };
  }
  if (engine.massDelete || engine.phase === 'waiting-confirmation') {
    const m = engine.massDelete;
    return {
      icon: 'attention',
      headline: 'Deletions need confirmation',
      lines: [
        m
          ? `Stopped: would delete ${plural(m.wouldDelete, 'object')} (limit ${formatCount(m.limit)})`
          : 'Stopped: deletions need confirmation',
        lastLine,
      ],
      canSync: true,
      canAuthorize: true,
      canPause: true,
    };
  }
  if (isActive(engine.phase)) {
    const c = engine.current?.counts;
    const detail =
      engine.phase === 'listing' || !c
        ? 'reading changes from OneDrive'
        : `${formatCount(c.filesDone)} of ${formatCount(c.filesTotal)} files · ${formatRate(c.rate)}`;
    return {
      icon: 'syncing',
      headline: engine.current?.full ? 'Full re-sync running' : 'Syncing',
      lines: [`${engine.current?.full ? 'Full re-sync' : 'Syncing'} · ${detail}`, lastLine],
      canSync: false,
      canAuthorize: true,
      canPause: true,
    };
  }
  if (status.paused) {
    return {
      icon: 'paused',
      headline: 'Paused',
      lines: [`Paused — no scheduled syncs · ${lastLine}`],
      canSync: true,
      canAuthorize: true,
      canPause: true,
    };
  }
  const lines = [lastLine];
  if (status.nextRunAt) lines.push(`Next sync ${fmt.time(status.nextRunAt)}`);
  if (engine.throttled && Date.parse(engine.throttled.until) > fmt.now)
    lines.push(`OneDrive asked us to slow down until ${fmt.time(engine.throttled.until)}`);
  const troubled = last && (last.result === 'failed' || last.result === 'partial');
  return {
    icon: troubled ? 'attention' : 'ok',
    headline: !last ? 'Ready' : troubled ? 'Last sync had problems' : 'Up to date',
    lines,
    canSync: true,
    canAuthorize: true,
    canPause: true,
  };
}
