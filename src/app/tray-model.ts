/**
 * The tray as a pure function of state: icon, tooltip and menu items. Electron never appears
 * here; `tray-menu.ts` turns the model into a Menu. What can be done when, and why not, comes
 * from the shared `situation` (the window's header and buttons use the same).
 */
import { isActive, type AppSnapshot } from '../shared/app-state.js';
import {
  situation,
  STATUS_ICONS,
  type SituationContext,
  type StatusIcon,
} from '../shared/situation.js';

export type TrayIcon = StatusIcon;
export const TRAY_ICONS = STATUS_ICONS;

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

export type TrayContext = SituationContext;

/** Windows cuts tray tooltips at 127 characters. */
const TOOLTIP_MAX = 127;

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
