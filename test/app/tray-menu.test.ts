import assert from 'node:assert/strict';
import { it } from 'node:test';
import { menuTemplate } from '../../src/app/tray-menu.js';
import { trayModel, type MenuAction } from '../../src/app/tray-model.js';
import { timeFormat } from '../../src/shared/format.js';
import { snapshot } from './snapshots.js';

const now = Date.parse('2025-03-12T11:00:00.000Z');

it('turns the tray model into an Electron menu template whose items call back with their action', () => {
  const model = trayModel(snapshot({}, { startAtLogin: true }), {
    ...timeFormat(() => now, 'en-GB', 'UTC'),
    now,
  });
  const clicked: MenuAction[] = [];
  const template = menuTemplate(model, (a) => clicked.push(a));
  assert.equal(template.length, model.items.length);
  assert.deepEqual(template[0], {
    label: 'Last sync 10:42 · 3 uploaded · 0 failed',
    enabled: false,
  });
  assert.equal(template[1]?.type, 'separator');
  const sync = template.find((t) => t.label === 'Sync now');
  const login = template.find((t) => t.label === 'Start at login');
  assert.equal(login?.type, 'checkbox');
  assert.equal(login?.checked, true);
  const click = (item: typeof sync) => (item?.click as unknown as () => void)();
  click(sync);
  click(login);
  assert.deepEqual(clicked, ['sync-now', 'start-at-login']);
});
