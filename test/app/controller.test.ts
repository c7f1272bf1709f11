import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppController, type SettingsPort } from '../../src/app/controller.js';
import { passGate, trustWindows } from '../../src/app/ipc/gate.js';
import { emptyForm } from '../../src/app/settings/fields.js';
import { ConfigError } from '../../src/core/errors.js';
import { memoryLogger } from '../../src/core/log/logger.js';
import type { EngineEvent } from '../../src/shared/events.js';
import { timeFormat } from '../../src/shared/format.js';
import { FakeHost, FakeShell } from './fakes.js';
import { summary } from './snapshots.js';

const at = '2025-03-12T10:59:00.000Z';
const now = () => Date.parse('2025-03-12T11:00:00.000Z');

const settings = (saved: string[] = []): SettingsPort => ({
  load: () => ({
    form: emptyForm(),
    secrets: {
      clientSecret: 'none',
      accessKeyId: 'none',
      secretAccessKey: 'none',
      mailApiKey: 'none',
      mailSmtpUrl: 'none',
    },
    file: '/cfg/config.toml',
    firstRun: false,
    encryptionAvailable: true,
  }),
  check: () => ({ ok: true, warnings: [] }),
  save: (form) => {
    saved.push(form.bucket);
    return form.bucket
      ? { ok: true, warnings: [] }
      : { ok: false, message: 'aws.bucket: missing', field: 'bucket' };
  },
});

async function setup(options: { hosts?: FakeHost[]; fail?: string } = {}) {
  const shell = new FakeShell();
  const hosts = options.hosts ?? [new FakeHost()];
  let opened = 0;
  const logger = memoryLogger();
  const controller = new AppController({
    shell,
    openHost: async (file) => {
      if (options.fail) throw new ConfigError(`${file}: ${options.fail}`);
      const host = hosts[opened++];
      if (!host) throw new Error('no more hosts');
      return host;
    },
    settings: settings(),
    configFile: '/cfg/config.toml',
    logFolder: '/logs',
    logger,
    now,
    time: timeFormat(now, 'en-GB', 'UTC'),
    trayIntervalMs: 0,
  });
  await controller.start();
  return { shell, host: hosts[0] as FakeHost, hosts, controller, logger };
}

const auth = (state: 'needs-authorization' | 'authorized', message?: string): EngineEvent => ({
  type: 'auth',
  v: 1,
  at,
  state,
  ...(message ? { message } : {}),
});

describe('AppController', () => {
  it('starts the engine and draws the tray from its state', async () => {
    const { shell, host } = await setup();
    assert.equal(host.started, 1);
    assert.equal(shell.tray.icon, 'ok');
    assert.deepEqual(shell.windows, []);
  });

  it('opens Settings, and draws a not-set-up tray, when config.toml cannot be used', async () => {
    const { shell, controller } = await setup({ fail: 'no configuration file here' });
    assert.deepEqual(shell.windows, ['settings']);
    assert.equal(shell.tray.icon, 'attention');
    assert.equal(controller.status().configured, false);
    assert.match(controller.status().configProblem ?? '', /no configuration file here/);
  });

  it('triggers a round when the Sync now menu item is chosen', async () => {
    const { controller, host } = await setup();
    await controller.menu('sync-now');
    assert.deepEqual(host.triggers, [{ full: false }]);
  });

  it('asks before a full re-sync, saying unchanged files are not re-uploaded, and obeys the answer', async () => {
    const { controller, host, shell } = await setup();
    shell.answer = false;
    await controller.menu('full-resync');
    assert.deepEqual(host.triggers, []);
    assert.match(shell.dialogs[0]?.detail ?? '', /not uploaded again/i);
    shell.answer = true;
    await controller.menu('full-resync');
    assert.deepEqual(host.triggers, [{ full: true }]);
  });

  it('pauses and resumes the scheduler from the menu and shows it in the tray', async () => {
    const { controller, host, shell } = await setup();
    await controller.menu('toggle-pause');
    assert.equal(host.paused, true);
    assert.equal(shell.tray.icon, 'paused');
    assert.ok(shell.sent.some((s) => s.channel === 'host:status'));
    await controller.menu('toggle-pause');
    assert.equal(host.paused, false);
    assert.equal(shell.tray.icon, 'ok');
  });

  it('notifies once when authorization is needed, and clicking it starts authorization', async () => {
    const { host, shell } = await setup();
    host.emit(auth('needs-authorization', 'The refresh token expired.'));
    host.emit(auth('needs-authorization'));
    assert.equal(shell.notices.length, 1);
    assert.equal(shell.notices[0]?.notice.title, 'OneDrive needs authorization');
    assert.match(shell.notices[0]?.notice.body ?? '', /^The refresh token expired\. /);
    assert.equal(shell.tray.icon, 'attention');
    shell.notices[0]?.click();
    await new Promise((r) => setImmediate(r));
    assert.equal(host.authorizations, 1);
  });

  it('notifies about failed rounds and mass-delete stops, and not about good rounds', async () => {
    const { host, shell } = await setup();
    host.emit({ type: 'round-finished', v: 1, at, summary: summary() });
    host.emit({
      type: 'round-finished',
      v: 1,
      at,
      summary: summary({ roundId: 8, result: 'partial', failed: 2 }),
    });
    host.emit({
      type: 'mass-delete-stopped',
      v: 1,
      at,
      roundId: 9,
      wouldDelete: 1500,
      limit: 1000,
      message: 'x',
    });
    assert.deepEqual(
      shell.notices.map((n) => n.notice.title),
      ['Backup finished with 2 failures', 'Deletions held back'],
    );
    assert.match(shell.notices[1]?.notice.body ?? '', /1,500 objects/);
  });

  it('forwards every engine event to the window', async () => {
    const { host, shell } = await setup();
    const event: EngineEvent = { type: 'phase', v: 1, at, phase: 'listing', roundId: 3 };
    host.emit(event);
    assert.deepEqual(
      shell.sent.filter((s) => s.channel === 'engine:event').map((s) => s.payload),
      [event],
    );
    assert.equal(shell.tray.icon, 'syncing');
  });

  it('allows a held-back deletion only after the final confirmation', async () => {
    const { host, shell, controller } = await setup();
    host.emit({
      type: 'mass-delete-stopped',
      v: 1,
      at,
      roundId: 9,
      wouldDelete: 1500,
      limit: 1000,
      message: 'x',
    });
    shell.answer = false;
    assert.equal(await controller.resolveMassDelete(true), false);
    assert.ok(controller.snapshot().engine.massDelete, 'still waiting');
    shell.answer = true;
    assert.equal(await controller.resolveMassDelete(true), true);
    assert.deepEqual(host.triggers, [{ full: false, allowMassDelete: true }]);
    assert.equal(controller.snapshot().engine.massDelete, undefined);
    assert.match(shell.dialogs[1]?.message ?? '', /Delete 1,500 objects/);
  });

  it('rebuilds the engine on the new config after Settings are saved, letting the old one checkpoint', async () => {
    const hosts = [new FakeHost(), new FakeHost()];
    const { controller } = await setup({ hosts });
    const bad = await controller.saveSettings({ ...emptyForm(), bucket: '' });
    assert.equal(bad.ok, false);
    assert.deepEqual(hosts[0]?.stops, []);
    const good = await controller.saveSettings({ ...emptyForm(), bucket: 'b' });
    assert.equal(good.ok, true);
    assert.deepEqual(hosts[0]?.stops, [10_000]);
    assert.equal(hosts[1]?.started, 1);
  });

  it('quits only after the engine stopped with a bounded wait', async () => {
    const { controller, host, shell } = await setup();
    await controller.menu('quit');
    assert.deepEqual(host.stops, [10_000]);
    assert.equal(shell.exited, 1);
    await controller.shutdown();
    assert.deepEqual(host.stops, [10_000], 'stopping twice waits on the same stop');
  });

  it('toggles start at login and opens the log folder', async () => {
    const { controller, shell } = await setup();
    await controller.menu('start-at-login');
    assert.equal(shell.loginItem, true);
    const checkbox = shell.tray.items.find((i) => i.kind === 'checkbox');
    assert.ok(checkbox && checkbox.kind === 'checkbox' && checkbox.checked);
    await controller.menu('open-logs');
    assert.deepEqual(shell.opened, ['/logs']);
  });

  it('answers IPC through the gate, and explains when the app is not set up', async () => {
    const { controller } = await setup({ fail: 'missing' });
    const options = { trusted: trustWindows(() => [1]), logger: memoryLogger() };
    const sender = { id: 1, url: 'app://cloud-sync/renderer/index.html' };
    const result = await passGate(
      'sync:start',
      sender,
      { full: false },
      controller.handlers(),
      options,
    );
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'not-configured');
    assert.match(result.error.message, /not set up yet/);
    const snap = await passGate('snapshot:get', sender, null, controller.handlers(), options);
    assert.ok(snap.ok && snap.value.status.configured === false);
  });

  it('tells a failing menu action in a notification instead of throwing', async () => {
    const { controller, shell } = await setup({ fail: 'missing' });
    await controller.menu('sync-now');
    assert.match(shell.notices[0]?.notice.body ?? '', /not set up yet/);
  });
});
