/** Files that failed and have not succeeded since: when, which, what went wrong, what to do. */
import type { ErrorEntry } from '../src/shared/app-state.js';
import { formatCount } from '../src/shared/format.js';
import { api } from './api.js';
import { byId, h, mount } from './dom.js';
import type { Ui } from './main.js';

/** What a person can do when the engine gave no hint of its own. */
function whatToDo(e: ErrorEntry): string {
  if (e.hint) return e.hint;
  return 'The next sync tries this file again. If it keeps failing, open the log folder for details.';
}

function entry(e: ErrorEntry, ui: Ui): HTMLElement {
  return h(
    'li',
    { class: 'error', 'data-code': e.code },
    h(
      'div',
      { class: 'error-head' },
      h('time', { datetime: e.at }, ui.time.time(e.at)),
      // Long paths wrap anywhere (CSS) rather than push the layout sideways.
      h('span', { class: 'path', title: e.path }, e.path),
    ),
    h('p', { class: 'error-message' }, e.message),
    h('p', { class: 'error-hint' }, h('b', {}, 'What to do: '), whatToDo(e)),
  );
}

export function renderErrors(ui: Ui): void {
  const errors = ui.snap.engine.errors;
  const heading = h(
    'h2',
    {},
    'Problems',
    errors.length ? h('span', { class: 'count' }, formatCount(errors.length)) : null,
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        'data-action': 'open-logs',
        onclick: () => ui.run('open-logs', () => api().openLogFolder()),
      },
      'Open log folder',
    ),
  );
  if (errors.length === 0) {
    mount(byId('errors'), heading, h('p', { class: 'muted' }, 'No files are failing.'));
    return;
  }
  mount(
    byId('errors'),
    heading,
    h(
      'ul',
      { class: 'errors', 'aria-label': 'Failing files' },
      errors.map((e) => entry(e, ui)),
    ),
  );
}
