/**
 * The tray as a pure function of state: icon, tooltip and menu items. Electron never appears
 * here; `tray.ts` turns the model into a Menu. Every rule about what can be done when, and why
 * not, lives in this one file.
 */
import { isActive, type AppSnapshot } from '../shared/app-state.js';
import type { RoundSummary } from '../shared/events.js';
import {
  formatCount,
  formatRate,
  middleEllipsis,
  plural,
  type TimeFormat,
} from '../shared/format.js';

export type TrayIcon = 'ok' | 'syncing' | 'paused' | 'attention';
export const TRAY_ICONS: readonly TrayIcon[] = ['ok', 'syncing', 'paused', 'attention'];

export type MenuAction =
  | 'sync-now'
  | 'full-resync'
  | 'toggle-pause'
  | 'authorize'
  | 'review-deletions'
  | 'open-window'
  | 'open-logs'
  | 'settings'
  | 'start-at-login'
  | 'quit';

export type TrayItem =
  | { kind: 'status'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; id: MenuAction; label: string; enabled: boolean }
  | { kind: 'checkbox'; id: MenuAction; label: string; checked: boolean; enabled: boolean };

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  items: TrayItem[];
}

export interface TrayContext extends TimeFormat {
  now: number;
}

/** Windows cuts tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127;

function lastRoundLine(last: RoundSummary | undefined, fmt: TrayContext): string {
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

interface Situation {
  icon: TrayIcon;
  /** One short phrase for the tooltip. */
  headline: string;
  /** Lines at the top of the menu; the first says why disabled items are disabled. */
  lines: string[];
  canSync: boolean;
  canAuthorize: boolean;
  canPause: boolean;
}

function situation(state: AppSnapshot, fmt: TrayContext): Situation {
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

export function trayModel(state: AppSnapshot, fmt: TrayContext): TrayModel {
  const s = situation(state, fmt);
  const action = (id: MenuAction, label: string, enabled = true): TrayItem => ({
    kind: 'action',
    id,
    label,
    enabled,
  });
  const items: TrayItem[] = [
    ...s.lines.map((label): TrayItem => ({ kind: 'status', label })),
    { kind: 'separator' },
    action('sync-now', 'Sync now', s.canSync),
    action('full-resync', 'Full re-sync…', s.canSync),
    action('toggle-pause', state.status.paused ? 'Resume' : 'Pause', s.canPause),
    action('authorize', 'Authorize OneDrive…', s.canAuthorize),
  ];
  if (state.engine.massDelete) items.push(action('review-deletions', 'Review deletions…'));
  items.push(
    { kind: 'separator' },
    action('open-window', 'Open window'),
    action('open-logs', 'Open log folder'),
    action('settings', 'Settings…'),
    {
      kind: 'checkbox',
      id: 'start-at-login',
      label: 'Start at login',
      checked: state.status.startAtLogin,
      enabled: true,
    },
    { kind: 'separator' },
    action('quit', 'Quit cloud-sync'),
  );
  const last = state.engine.history[0];
  const when =
    last && !isActive(state.engine.phase) ? ` — last sync ${fmt.time(last.finishedAt)}` : '';
  const tooltip = `cloud-sync: ${s.headline}${when}`;
  return {
    icon: s.icon,
    tooltip: tooltip.length > TOOLTIP_MAX ? `${tooltip.slice(0, TOOLTIP_MAX - 1)}…` : tooltip,
    items,
  };
}
