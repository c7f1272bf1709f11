import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  trayModel,
  type MenuAction,
  type TrayItem,
  type TrayModel,
} from '../../src/app/tray-model.js';
import { timeFormat } from '../../src/shared/format.js';
import { snapshot, summary } from './snapshots.js';

const now = Date.parse('2025-03-12T11:00:00.000Z');
const fmt = { ...timeFormat(() => now, 'en-GB', 'UTC'), now };

const item = (m: TrayModel, id: MenuAction): TrayItem => {
  const found = m.items.find((i) => 'id' in i && i.id === id);
  assert.ok(found, `menu has ${id}`);
  return found;
};
const enabled = (m: TrayModel, id: MenuAction): boolean => {
  const i = item(m, id);
  return 'enabled' in i && i.enabled;
};
const statusLines = (m: TrayModel): string[] =>
  m.items.flatMap((i) => (i.kind === 'status' ? [i.label] : []));

describe('trayModel', () => {
  it('shows the ok icon and a status line with time, uploads and failures after a good round', () => {
    const m = trayModel(snapshot(), fmt);
    assert.equal(m.icon, 'ok');
    assert.equal(statusLines(m)[0], 'Last sync 10:42 · 3 uploaded · 0 failed');
    assert.equal(m.tooltip, 'cloud-sync: Up to date — last sync 10:42');
    for (const id of ['sync-now', 'full-resync', 'toggle-pause', 'authorize'] as const)
      assert.ok(enabled(m, id), id);
  });

  it('offers every menu entry the issue asks for, in a stable order', () => {
    const labels = trayModel(snapshot(), fmt).items.flatMap((i) =>
      i.kind === 'action' || i.kind === 'checkbox' ? [i.label] : [],
    );
    assert.deepEqual(labels, [
      'Sync now',
      'Full re-sync…',
      'Pause',
      'Authorize OneDrive…',
      'Open window',
      'Open log folder',
      'Settings…',
      'Start at login',
      'Quit cloud-sync',
    ]);
  });

  it('says "Not synced yet" and "Ready" before the first round', () => {
    const m = trayModel(snapshot({ history: [] }), fmt);
    assert.equal(statusLines(m)[0], 'Not synced yet');
    assert.equal(m.tooltip, 'cloud-sync: Ready');
    assert.equal(m.icon, 'ok');
  });

  it('shows the next scheduled time when idle', () => {
    const m = trayModel(snapshot({}, { nextRunAt: '2025-03-12T11:15:00.000Z' }), fmt);
    assert.deepEqual(statusLines(m), [
      'Last sync 10:42 · 3 uploaded · 0 failed',
      'Next sync 11:15',
    ]);
  });

  it('uses the syncing icon with files and rate while a round runs, and disables starting another', () => {
    const counts = {
      filesDone: 120,
      filesTotal: 300,
      filesFailed: 0,
      bytesDone: 1,
      bytesTotal: 2,
      rate: 4_200_000,
      etaSeconds: 60,
    };
    const m = trayModel(
      snapshot({
        phase: 'transferring',
        current: {
          roundId: 8,
          full: false,
          phase: 'transferring',
          startedAt: '2025-03-12T10:59:00.000Z',
          counts,
          inFlight: [],
        },
      }),
      fmt,
    );
    assert.equal(m.icon, 'syncing');
    assert.equal(statusLines(m)[0], 'Syncing · 120 of 300 files · 4.20 MB/s');
    assert.equal(enabled(m, 'sync-now'), false);
    assert.equal(enabled(m, 'full-resync'), false);
    assert.ok(enabled(m, 'toggle-pause'));
    assert.equal(m.tooltip, 'cloud-sync: Syncing');
  });

  it('says it is reading changes while listing a full re-sync', () => {
    const m = trayModel(
      snapshot({
        phase: 'listing',
        current: {
          roundId: 9,
          full: true,
          phase: 'listing',
          startedAt: '2025-03-12T10:59:00.000Z',
          counts: {
            filesDone: 0,
            filesTotal: 0,
            filesFailed: 0,
            bytesDone: 0,
            bytesTotal: 0,
            rate: 0,
            etaSeconds: null,
          },
          inFlight: [],
        },
      }),
      fmt,
    );
    assert.equal(statusLines(m)[0], 'Full re-sync · reading changes from OneDrive');
  });

  it('uses the paused icon and offers Resume when paused', () => {
    const m = trayModel(snapshot({}, { paused: true }), fmt);
    assert.equal(m.icon, 'paused');
    assert.equal(
      item(m, 'toggle-pause').kind === 'action' &&
        (item(m, 'toggle-pause') as { label: string }).label,
      'Resume',
    );
    assert.match(statusLines(m)[0] ?? '', /^Paused — no scheduled syncs · Last sync 10:42/);
    assert.ok(enabled(m, 'sync-now'), 'a manual sync is still possible while paused');
  });

  it('needs attention and disables syncing with the reason when not authorized', () => {
    for (const state of ['not-authorized', 'needs-authorization'] as const) {
      const m = trayModel(snapshot({ auth: { state } }), fmt);
      assert.equal(m.icon, 'attention');
      assert.equal(statusLines(m)[0], 'Not authorized — choose Authorize OneDrive…');
      assert.equal(enabled(m, 'sync-now'), false);
      assert.equal(enabled(m, 'full-resync'), false);
      assert.ok(enabled(m, 'authorize'));
      assert.equal(m.tooltip, 'cloud-sync: Not authorized — last sync 10:42');
    }
  });

  it('keeps syncing allowed while a token is being refreshed', () => {
    const m = trayModel(snapshot({ auth: { state: 'refreshing' } }), fmt);
    assert.equal(m.icon, 'ok');
    assert.ok(enabled(m, 'sync-now'));
  });

  it('needs attention after a round with failures and counts them', () => {
    const m = trayModel(snapshot({ history: [summary({ result: 'partial', failed: 2 })] }), fmt);
    assert.equal(m.icon, 'attention');
    assert.equal(statusLines(m)[0], 'Last sync 10:42 · 3 uploaded · 2 failed');
    assert.equal(m.tooltip, 'cloud-sync: Last sync had problems — last sync 10:42');
  });

  it('shows why a failed round failed', () => {
    const m = trayModel(
      snapshot({
        history: [summary({ result: 'failed', message: 'The bucket "backup" does not exist' })],
      }),
      fmt,
    );
    assert.equal(m.icon, 'attention');
    assert.equal(statusLines(m)[0], 'Last sync 10:42 failed: The bucket "backup" does not exist');
  });

  it('asks for review when a mass delete was stopped', () => {
    const m = trayModel(
      snapshot({
        phase: 'waiting-confirmation',
        massDelete: {
          roundId: 8,
          at: '2025-03-12T10:50:00.000Z',
          wouldDelete: 1200,
          limit: 1000,
          message: 'x',
        },
      }),
      fmt,
    );
    assert.equal(m.icon, 'attention');
    assert.equal(statusLines(m)[0], 'Stopped: would delete 1,200 objects (limit 1,000)');
    assert.ok(enabled(m, 'review-deletions'));
  });

  it('disables everything that needs a config and points to Settings when not set up', () => {
    const m = trayModel(snapshot({ history: [] }, { configured: false }), fmt);
    assert.equal(m.icon, 'attention');
    assert.match(statusLines(m)[0] ?? '', /^Not set up — open Settings…/);
    for (const id of ['sync-now', 'full-resync', 'toggle-pause', 'authorize'] as const)
      assert.equal(enabled(m, id), false, id);
    for (const id of ['settings', 'open-window', 'open-logs', 'quit'] as const)
      assert.ok(enabled(m, id), id);
  });

  it('reflects the start-at-login setting as a checked checkbox', () => {
    const on = item(trayModel(snapshot({}, { startAtLogin: true }), fmt), 'start-at-login');
    const off = item(trayModel(snapshot(), fmt), 'start-at-login');
    assert.deepEqual([on.kind, 'checked' in on && on.checked], ['checkbox', true]);
    assert.deepEqual([off.kind, 'checked' in off && off.checked], ['checkbox', false]);
  });

  it('mentions throttling until the time OneDrive asked for', () => {
    const m = trayModel(
      snapshot({ throttled: { service: 'graph', until: '2025-03-12T11:05:00.000Z' } }),
      fmt,
    );
    assert.ok(statusLines(m).includes('OneDrive asked us to slow down until 11:05'));
    const later = trayModel(
      snapshot({ throttled: { service: 'graph', until: '2025-03-12T10:05:00.000Z' } }),
      fmt,
    );
    assert.ok(!statusLines(later).some((l) => l.includes('slow down')));
  });

  it('keeps the tooltip within the 127 characters Windows shows', () => {
    const m = trayModel(snapshot({}, {}), { ...fmt, time: () => 'x'.repeat(200) });
    assert.ok(m.tooltip.length <= 127);
  });
});
