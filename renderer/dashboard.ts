/** The main view: header with actions, banners, the current round, last sync and account. */
import { isActive, type AppSnapshot } from '../src/shared/app-state.js';
import type { RoundSummary } from '../src/shared/events.js';
import { formatBytes, formatCount, formatDuration, plural } from '../src/shared/format.js';
import { situation } from '../src/shared/situation.js';
import { api } from './api.js';
import { byId, h, mount } from './dom.js';
import { renderCurrent } from './current.js';
import { renderErrors } from './errors-list.js';
import { renderHistory } from './history-chart.js';
import type { View } from '../src/shared/ipc.js';
import type { Ui } from './main.js';

function button(
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

function renderBanners(ui: Ui): void {
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

const RESULT_TEXT: Record<RoundSummary['result'], string> = {
  ok: 'Completed',
  partial: 'Completed with failures',
  failed: 'Failed',
  cancelled: 'Stopped',
  'stopped-mass-delete': 'Held back deletions',
};

function stat(label: string, value: string, kind?: string): HTMLElement {
  return h(
    'div',
    { class: `stat${kind ? ` ${kind}` : ''}` },
    h('span', { class: 'value' }, value),
    h('span', { class: 'label' }, label),
  );
}

function renderLast(ui: Ui): void {
  const last = ui.snap.engine.history[0];
  if (!last) {
    mount(
      byId('last'),
      h('h2', {}, 'Last sync'),
      h('p', { class: 'muted' }, 'No sync has finished yet.'),
    );
    return;
  }
  const seconds = (Date.parse(last.finishedAt) - Date.parse(last.startedAt)) / 1000;
  mount(
    byId('last'),
    h(
      'h2',
      {},
      'Last sync',
      h('span', { class: `badge ${last.result}` }, RESULT_TEXT[last.result]),
    ),
    h(
      'p',
      { class: 'muted' },
      `${ui.time.time(last.finishedAt)}${last.full ? ' · full re-sync' : ''} · took ${seconds < 1 ? 'under a second' : formatDuration(seconds)}`,
    ),
    // A held-back deletion is explained by its banner; other messages say why a round failed.
    last.message && last.result !== 'stopped-mass-delete'
      ? h('p', { class: 'message' }, last.message)
      : null,
    h(
      'div',
      { class: 'stats' },
      stat('uploaded', formatCount(last.uploaded)),
      stat('copied in bucket', formatCount(last.copied)),
      stat('deleted / trashed', formatCount(last.deleted + last.trashed)),
      stat('adopted', formatCount(last.adopted)),
      stat('unchanged', formatCount(last.unchanged)),
      stat('failed', formatCount(last.failed), last.failed > 0 ? 'bad' : undefined),
      stat('data uploaded', formatBytes(last.bytesUploaded)),
    ),
  );
}

function row(label: string, value: string | undefined, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'kv' },
    h('dt', {}, label),
    h('dd', { title: value ?? '' }, value ?? h('span', { class: 'muted' }, hint ?? '—')),
  );
}

function renderAccount(snap: AppSnapshot): void {
  const a = snap.status.account;
  const auth = snap.engine.auth;
  const signedIn = auth.state === 'authorized' || auth.state === 'refreshing';
  mount(
    byId('account'),
    h('h2', {}, 'Account'),
    h(
      'dl',
      {},
      row('OneDrive', a.user ?? auth.account, signedIn ? 'signed in' : 'not signed in'),
      row(
        'Sign-in flow',
        a.flow === 'web'
          ? 'Web (client secret, HTTPS listener)'
          : a.flow === 'desktop'
            ? 'Desktop (browser, no secret)'
            : undefined,
      ),
      row('Bucket', a.bucket),
      row('Prefix', a.prefix === undefined ? undefined : a.prefix || '(bucket root)'),
      row('Region', a.region),
      a.endpoint ? row('Endpoint', a.endpoint) : null,
    ),
  );
}

export function renderDashboard(ui: Ui): void {
  renderBanners(ui);
  renderCurrent(ui);
  renderLast(ui);
  renderAccount(ui.snap);
  renderHistory(ui);
  renderErrors(ui);
  document.body.dataset.phase = ui.snap.engine.phase;
  document.body.dataset.active = String(isActive(ui.snap.engine.phase));
}
