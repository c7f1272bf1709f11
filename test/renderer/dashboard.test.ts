import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyEngineView, reduceEngine } from '../../src/shared/app-state.js';
import type { EngineEvent } from '../../src/shared/events.js';
import { emptyForm } from '../../src/app/settings/fields.js';
import type { SettingsLoad } from '../../src/shared/ipc.js';
import { snapshot } from '../app/snapshots.js';
import { recording } from '../fixtures/events/load.js';
import { closeWindowsAfterAll, openWindow } from './harness.js';

closeWindowsAfterAll();

const settingsLoad = (): SettingsLoad => ({
  form: emptyForm(),
  secrets: {
    clientSecret: 'none',
    accessKeyId: 'none',
    secretAccessKey: 'none',
    mailApiKey: 'none',
    mailSmtpUrl: 'none',
  },
  file: '/home/ada/.config/cloud-sync/config.toml',
  firstRun: false,
  encryptionAvailable: true,
});

const fresh = () => snapshot({ history: [] }, { nextRunAt: undefined });

/** The recording up to the first progress with several files done and some in flight. */
function midTransfer(): EngineEvent[] {
  const events = recording('first-sync');
  const cut = events.findIndex(
    (e) => e.type === 'progress' && e.inFlight.length >= 3 && e.counts.filesDone >= 9,
  );
  assert.ok(cut > 0, 'the recording has a busy moment');
  return events.slice(0, cut + 1);
}

describe('the window, replaying recorded engine events', () => {
  it('renders the running round: progress bar, counts, rate, ETA and files in flight', async () => {
    const w = await openWindow({ snapshot: fresh() });
    await w.emit(midTransfer());
    const { page } = w;
    const value = Number(
      await page.getAttribute('#current .bar[role=progressbar]', 'aria-valuenow'),
    );
    assert.ok(value > 0 && value < 100, `progress ${value}`);
    assert.match((await page.textContent('[data-field=files]')) ?? '', /^\d+ of 34 files$/);
    assert.match((await page.textContent('[data-field=rate]')) ?? '', /\d.* MB\/s$/);
    assert.match((await page.textContent('[data-field=eta]')) ?? '', /^about \d+ s left$/);
    assert.ok((await page.locator('.flight').count()) >= 3);
    assert.equal(await page.getAttribute('#current .phase', 'data-phase'), 'transferring');
    assert.match((await page.textContent('#current h2')) ?? '', /^Full re-sync/);
    assert.equal(await page.getAttribute('#status-icon', 'data-state'), 'syncing');
    assert.equal(
      await page.isDisabled('[data-action=sync-now]'),
      true,
      'no second round while one runs',
    );
    await w.screenshot('1-syncing');
    assert.deepEqual(w.problems, []);
  });

  it('shows the finished round, and the failed file with what to do', async () => {
    const w = await openWindow({ snapshot: fresh() });
    await w.emit(recording('first-sync'));
    const { page } = w;
    assert.equal(await page.textContent('#last .badge'), 'Completed with failures');
    const errors = page.locator('#errors li.error');
    assert.equal(await errors.count(), 1);
    assert.equal(await errors.locator('.path').textContent(), 'Shared/locked-by-another-app.xlsx');
    assert.match(
      (await errors.locator('.error-message').textContent()) ?? '',
      /HTTP 403 accessDenied/,
    );
    assert.match((await errors.locator('.error-hint').textContent()) ?? '', /^What to do: /);
    assert.equal(await page.getAttribute('#status-icon', 'data-state'), 'attention');
    assert.match((await page.textContent('#current')) ?? '', /Nothing is running/);
    await w.screenshot('2-finished-with-failure');
  });

  it('draws the history of recorded rounds as an SVG chart and a table', async () => {
    const w = await openWindow({ snapshot: fresh() });
    await w.emit([...recording('first-sync'), ...recording('changes'), ...recording('history')]);
    const { page } = w;
    assert.equal(await page.locator('#history svg.chart rect.bar-bytes').count(), 8);
    assert.equal(await page.locator('#history svg.chart circle.dot-files').count(), 8);
    assert.equal(await page.locator('#history svg.chart rect.bar-bytes.partial').count(), 2);
    assert.equal(await page.locator('#history table.rounds tbody tr').count(), 8);
    assert.equal(await page.getAttribute('#history table.rounds tbody tr', 'data-round'), '8');
    assert.deepEqual(
      await page.locator('#errors li.error .path').allTextContents(),
      [],
      'both failures were resolved later',
    );
    await w.screenshot('3-history');
  });

  it('offers the held-back deletions as a banner and asks main before allowing them', async () => {
    const w = await openWindow({ snapshot: fresh() });
    await w.emit([
      ...recording('first-sync'),
      ...recording('changes'),
      ...recording('history'),
      ...recording('mass-delete'),
    ]);
    const { page } = w;
    const banner = page.locator('#mass-delete');
    assert.match(
      (await banner.textContent()) ?? '',
      /would delete 10 objects from the bucket; your limit is 5\. Nothing was deleted\./,
    );
    await w.screenshot('4-mass-delete');
    await page.click('[data-action=allow-delete]');
    await page.waitForSelector('#mass-delete', { state: 'detached' });
    const calls = (await w.calls()).filter((c) => c.method === 'resolveMassDelete');
    assert.deepEqual(calls, [{ method: 'resolveMassDelete', args: [true] }]);
  });

  it('keeps the banner when the final confirmation is declined', async () => {
    const w = await openWindow({ snapshot: fresh(), confirm: false });
    await w.emit(recording('mass-delete'));
    await w.page.click('[data-action=allow-delete]');
    await w.emit([]);
    assert.equal(await w.page.locator('#mass-delete').count(), 1);
  });

  it('calls the API from every button', async () => {
    const history = recording('changes').reduce(reduceEngine, emptyEngineView()).history;
    const w = await openWindow({ snapshot: snapshot({ history }), settings: settingsLoad() });
    const { page } = w;
    for (const action of ['sync-now', 'full-resync', 'pause', 'authorize', 'open-logs'])
      await page.click(`[data-action=${action}]`);
    await page.click('[data-action=settings]');
    await page.waitForSelector('#settings:not([hidden])');
    assert.deepEqual(
      (await w.calls()).map(
        (c) => `${c.method}(${c.args.map((a) => JSON.stringify(a)).join(',')})`,
      ),
      [
        'getSnapshot()',
        'syncNow()',
        'fullResync()',
        'setPaused(true)',
        'authorize()',
        'openLogFolder()',
        'getSettings()',
      ],
    );
  });

  it('shows API failures as a banner a person can dismiss', async () => {
    const w = await openWindow({ snapshot: fresh() });
    // A string, not a function: tsx would wrap named arrows in a helper the page lacks.
    await w.page
      .evaluate(`Object.defineProperty(window, 'cloudSync', { value: { ...window.cloudSync,
      syncNow: () => Promise.reject({ name: 'ConfigError', message: 'cloud-sync is not set up yet.', code: 'not-configured' }) } })`);
    await w.page.click('[data-action=sync-now]');
    await w.page.waitForSelector('.banner.error');
    assert.match((await w.page.textContent('.banner.error')) ?? '', /not set up yet/);
  });

  it('tells a person to authorize, and pauses/resumes from host status pushes', async () => {
    const w = await openWindow({
      snapshot: snapshot({
        history: [],
        auth: { state: 'needs-authorization', message: 'The sign-in expired.' },
      }),
    });
    const { page } = w;
    assert.match(
      (await page.textContent('#banners')) ?? '',
      /OneDrive is not authorized\. The sign-in expired\./,
    );
    assert.equal(await page.isDisabled('[data-action=sync-now]'), true);
    assert.match(
      (await page.getAttribute('[data-action=sync-now]', 'title')) ?? '',
      /Not authorized/,
    );
    await w.screenshot('5-needs-authorization');
    await w.status({ ...fresh().status, paused: true });
    assert.equal(await page.textContent('[data-action=pause]'), 'Resume');
  });
});
