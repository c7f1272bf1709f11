/** The status view: banners, the current round, last sync, account, history and problems. */
import { isActive, type AppSnapshot } from '../src/shared/app-state.js';
import type { RoundSummary } from '../src/shared/events.js';
import { formatBytes, formatCount, formatDuration } from '../src/shared/format.js';
import { renderBanners } from './banners.js';
import { byId, h, mount } from './dom.js';
import { renderCurrent } from './current.js';
import { renderErrors } from './errors-list.js';
import { renderHistory } from './history-chart.js';
import type { Ui } from './main.js';

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
