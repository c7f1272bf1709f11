/** The top bar: state icon, headline, and the actions with the reason they are disabled. */
import { situation } from '../src/shared/situation.js';
import type { View } from '../src/shared/ipc.js';
import { api } from './api.js';
import { byId, h, mount } from './dom.js';
import type { Ui } from './main.js';

export function button(
  ui: Ui,
  task: string,
  label: string,
  call: () => Promise<unknown>,
  options: { enabled?: boolean; why?: string; primary?: boolean } = {},
): HTMLButtonElement {
  const enabled = options.enabled !== false && !ui.isBusy(task);
  return h(
    'button',
    {
      type: 'button',
      class: options.primary ? 'primary' : undefined,
      'data-action': task,
      disabled: !enabled,
      title: !enabled && options.why ? options.why : undefined,
      onclick: () => ui.run(task, call),
    },
    label,
  );
}

export function renderHeader(ui: Ui, view: View): void {
  const s = situation(ui.snap, { ...ui.time, now: ui.now() });
  const icon = byId<HTMLImageElement>('status-icon');
  icon.src = `assets/tray/${s.icon}@2x.png`;
  icon.dataset.state = s.icon;
  document.body.dataset.state = s.icon;
  byId('headline').textContent = s.lines[0] ?? s.headline;
  const why = s.lines[0];
  const paused = ui.snap.status.paused;
  mount(
    byId('actions'),
    button(ui, 'sync-now', 'Sync now', () => api().syncNow(), {
      enabled: s.canSync,
      why,
      primary: true,
    }),
    button(ui, 'full-resync', 'Full re-sync…', () => api().fullResync(), {
      enabled: s.canSync,
      why,
    }),
    button(ui, 'pause', paused ? 'Resume' : 'Pause', () => api().setPaused(!paused), {
      enabled: s.canPause,
      why,
    }),
    button(ui, 'authorize', 'Authorize…', () => api().authorize(), {
      enabled: s.canAuthorize,
      why,
    }),
    view === 'settings'
      ? h(
          'button',
          {
            type: 'button',
            class: 'ghost',
            'data-action': 'dashboard',
            onclick: () => ui.show('dashboard'),
          },
          'Status',
        )
      : h(
          'button',
          {
            type: 'button',
            class: 'ghost',
            'data-action': 'settings',
            onclick: () => ui.show('settings'),
          },
          'Settings',
        ),
  );
}
