/** The round in progress: phase, a progress bar, counts, rate, ETA and the files in flight. */
import { isActive } from '../src/shared/app-state.js';
import type { ActionKind, ItemInFlight, Phase } from '../src/shared/events.js';
import { formatBytes, formatCount, formatDuration, formatRate } from '../src/shared/format.js';
import { byId, h, mount } from './dom.js';
import type { Ui } from './main.js';

const PHASE_TEXT: Record<Phase, string> = {
  idle: 'Idle',
  listing: 'Reading changes',
  transferring: 'Transferring',
  finishing: 'Finishing',
  paused: 'Paused',
  'waiting-confirmation': 'Waiting for you',
  'needs-authorization': 'Needs authorization',
};

const ACTION_TEXT: Record<ActionKind, string> = {
  upload: 'Uploading',
  copy: 'Copying',
  metadata: 'Updating',
  delete: 'Deleting',
  trash: 'Trashing',
  adopt: 'Adopting',
  skip: 'Skipping',
};

/**
 * A path that never breaks the layout: the folder part shrinks with an ellipsis first, so the
 * file name stays readable (a middle ellipsis that follows the available width).
 */
export function pathLabel(path: string): HTMLElement {
  const cut = path.lastIndexOf('/');
  return h(
    'span',
    { class: 'path', title: path },
    cut >= 0 ? h('span', { class: 'dir' }, path.slice(0, cut + 1)) : null,
    h('span', { class: 'name' }, path.slice(cut + 1)),
  );
}

function bar(fraction: number | undefined, label: string): HTMLElement {
  const fill = h('div', { class: 'fill' });
  const el = h(
    'div',
    {
      class: `bar${fraction === undefined ? ' indeterminate' : ''}`,
      role: 'progressbar',
      'aria-label': label,
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': fraction === undefined ? undefined : Math.round(fraction * 100),
    },
    fill,
  );
  // CSSOM, not a style attribute: the Content-Security-Policy forbids inline styles.
  if (fraction !== undefined)
    fill.style.width = `${Math.min(100, Math.max(0, fraction * 100)).toFixed(1)}%`;
  return el;
}

function inFlightRow(item: ItemInFlight): HTMLElement {
  const fraction = item.bytesTotal > 0 ? item.bytesDone / item.bytesTotal : undefined;
  return h(
    'li',
    { class: 'flight' },
    h('span', { class: `chip ${item.action}` }, ACTION_TEXT[item.action]),
    pathLabel(item.path),
    h(
      'span',
      { class: 'size' },
      item.bytesTotal > 0 ? `${formatBytes(item.bytesDone)} / ${formatBytes(item.bytesTotal)}` : '',
    ),
    bar(fraction, `${item.path} progress`),
  );
}

export function renderCurrent(ui: Ui): void {
  const { engine, status } = ui.snap;
  const current = engine.current;
  const phase = engine.phase;
  const title = h(
    'h2',
    {},
    current?.full ? 'Full re-sync' : 'Current sync',
    h('span', { class: `phase ${phase}`, 'data-phase': phase }, PHASE_TEXT[phase]),
  );
  if (!current || !isActive(phase)) {
    const next =
      status.nextRunAt && !status.paused ? `Next sync at ${ui.time.time(status.nextRunAt)}.` : '';
    const idle = engine.massDelete
      ? 'Stopped: the deletions above wait for your decision.'
      : status.paused
        ? 'Paused: no syncs start on schedule until you resume.'
        : status.configured
          ? `Nothing is running. ${next}`
          : 'Set up cloud-sync in Settings to start backing up.';
    mount(byId('current'), title, h('p', { class: 'muted idle' }, idle));
    return;
  }
  const c = current.counts;
  if (phase === 'listing') {
    mount(
      byId('current'),
      title,
      bar(undefined, 'Reading changes'),
      h(
        'p',
        { class: 'numbers' },
        `Reading changes from OneDrive… ${formatCount(c.filesDone)} items so far`,
      ),
    );
    return;
  }
  const fraction =
    c.bytesTotal > 0
      ? c.bytesDone / c.bytesTotal
      : c.filesTotal > 0
        ? c.filesDone / c.filesTotal
        : undefined;
  mount(
    byId('current'),
    title,
    bar(fraction, 'Round progress'),
    h(
      'div',
      { class: 'numbers' },
      h(
        'span',
        { 'data-field': 'files' },
        h('b', {}, formatCount(c.filesDone)),
        ` of ${formatCount(c.filesTotal)} files`,
      ),
      h(
        'span',
        { 'data-field': 'bytes' },
        h('b', {}, formatBytes(c.bytesDone)),
        ` of ${formatBytes(c.bytesTotal)}`,
      ),
      h('span', { 'data-field': 'rate' }, formatRate(c.rate)),
      h(
        'span',
        { 'data-field': 'eta' },
        c.etaSeconds === null
          ? 'estimating time left…'
          : `about ${formatDuration(c.etaSeconds)} left`,
      ),
      c.filesFailed > 0
        ? h(
            'span',
            { class: 'bad', 'data-field': 'failed' },
            `${formatCount(c.filesFailed)} failed`,
          )
        : null,
    ),
    current.inFlight.length
      ? h(
          'ul',
          { class: 'flights', 'aria-label': 'Files in flight' },
          current.inFlight.map(inFlightRow),
        )
      : current.lastDone
        ? h('p', { class: 'muted last-done' }, 'Last done:', pathLabel(current.lastDone.path))
        : null,
  );
}
