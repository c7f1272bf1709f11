/** Messages above the status: failures, not set up, not authorized, held-back deletions, throttling. */
import { formatCount, plural } from '../src/shared/format.js';
import { api } from './api.js';
import { byId, h, mount } from './dom.js';
import { button } from './header.js';
import type { Ui } from './main.js';

function banner(
  kind: 'error' | 'warn' | 'info',
  title: string,
  text: string,
  ...actions: HTMLElement[]
): HTMLElement {
  return h(
    'div',
    { class: `banner ${kind}`, role: kind === 'info' ? 'status' : 'alert' },
    h('div', { class: 'banner-text' }, h('strong', {}, title), ' ', text),
    actions.length ? h('div', { class: 'banner-actions' }, ...actions) : null,
  );
}

export function renderBanners(ui: Ui): void {
  const { status, engine } = ui.snap;
  const out: HTMLElement[] = [];
  if (ui.flash) {
    const close = h(
      'button',
      { type: 'button', class: 'ghost', onclick: () => ui.setFlash(undefined) },
      'Dismiss',
    );
    out.push(
      banner(
        ui.flash.kind,
        ui.flash.kind === 'error' ? 'That did not work.' : '',
        ui.flash.text,
        close,
      ),
    );
  }
  if (!status.configured) {
    out.push(
      banner(
        'warn',
        'Not set up yet.',
        status.configProblem ?? 'Connect OneDrive and a bucket in Settings.',
        h(
          'button',
          { type: 'button', class: 'primary', onclick: () => ui.show('settings') },
          'Open Settings',
        ),
      ),
    );
  } else if (
    engine.auth.state === 'needs-authorization' ||
    engine.auth.state === 'not-authorized'
  ) {
    out.push(
      banner(
        'warn',
        'OneDrive is not authorized.',
        `${engine.auth.message ? `${engine.auth.message} ` : ''}Backups wait until you sign in with the Microsoft account whose OneDrive you back up.`,
        button(ui, 'authorize', 'Authorize OneDrive…', () => api().authorize(), { primary: true }),
      ),
    );
  }
  const stop = engine.massDelete;
  if (stop) {
    out.push(
      h(
        'div',
        { class: 'banner danger', role: 'alert', id: 'mass-delete' },
        h(
          'div',
          { class: 'banner-text' },
          h('strong', {}, 'Deletions held back.'),
          ` This sync would delete ${plural(stop.wouldDelete, 'object')} from the bucket; your limit is ${formatCount(stop.limit)}. Nothing was deleted.`,
          h(
            'span',
            { class: 'muted block' },
            'If these files really were removed from OneDrive, allow the deletions; otherwise keep them and check OneDrive.',
          ),
        ),
        h(
          'div',
          { class: 'banner-actions' },
          button(ui, 'allow-delete', 'Allow deletions and sync…', async () => {
            if (await api().resolveMassDelete(true)) ui.dismissMassDelete();
          }),
          button(ui, 'keep', 'Keep them for now', async () => {
            await api().resolveMassDelete(false);
            ui.dismissMassDelete();
          }),
        ),
      ),
    );
  }
  if (engine.throttled && Date.parse(engine.throttled.until) > ui.now()) {
    const who = engine.throttled.service === 'graph' ? 'OneDrive' : 'The bucket';
    out.push(
      banner(
        'info',
        `${who} asked us to slow down.`,
        `Transfers resume at ${ui.time.time(engine.throttled.until)}.`,
      ),
    );
  }
  mount(byId('banners'), out);
}
