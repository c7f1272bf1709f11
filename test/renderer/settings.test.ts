import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SecretStore } from '../../src/app/settings/secrets.js';
import { SettingsService } from '../../src/app/settings/settings-service.js';
import { snapshot } from '../app/snapshots.js';
import { fakeCodec } from '../app/settings/fake-codec.js';
import { tempDir } from '../helpers/tmp.js';
import { closeWindowsAfterAll, openWindow } from './harness.js';

closeWindowsAfterAll();

/** The real SettingsService (and so the real config validator) in the test process. */
function realSettings() {
  const dir = tempDir('window-settings');
  const file = join(dir, 'config.toml');
  const service = new SettingsService(
    file,
    new SecretStore(join(dir, 'secrets.json'), fakeCodec()),
    {},
  );
  return { file, service };
}

async function firstStart() {
  const { file, service } = realSettings();
  const w = await openWindow({
    snapshot: snapshot(
      { history: [] },
      { configured: false, configProblem: `${file}: no configuration file here.` },
    ),
    settings: service.load(),
    check: (form) => service.check(form),
    save: (form) => service.save(form),
  });
  await w.page.waitForSelector('#settings-form');
  return { w, file, service };
}

describe('the Settings form', () => {
  it('opens by itself on first start, with the guide to both Azure flows and the bucket', async () => {
    const { w } = await firstStart();
    assert.equal(await w.page.isVisible('#settings'), true);
    assert.equal(await w.page.isVisible('#dashboard'), false);
    const guide = (await w.page.textContent('.guide')) ?? '';
    assert.match(guide, /Mobile and desktop applications/);
    assert.match(guide, /http:\/\/localhost/);
    assert.match(guide, /client secret/);
    assert.match(guide, /S3 bucket/);
    await w.screenshot('6-settings-first-start');
  });

  it('shows the real validator’s message, naming the key, next to the field it is about', async () => {
    const { w } = await firstStart();
    const { page } = w;
    await page.fill('#f-clientId', '00000000-aaaa-bbbb-cccc-000000000000');
    await page.click('[data-action=check]');
    await page.waitForSelector('.field.invalid');
    assert.equal(await page.getAttribute('.field.invalid', 'data-field'), 'bucket');
    assert.match(
      (await page.textContent('.field.invalid .field-error')) ?? '',
      /aws\.bucket: missing; expected a non-empty string/,
    );
    assert.match(
      (await page.textContent('#settings-result')) ?? '',
      /config\.toml(:\d+)?: aws\.bucket: missing/,
    );
    await page.fill('#f-bucket', 'my-backup');
    await page.fill('#f-interval', 'every hour');
    await page.click('[data-action=check]');
    await page.waitForSelector('.field.invalid[data-field=interval]');
    assert.match(
      (await page.textContent('.field.invalid .field-error')) ?? '',
      /general\.interval: expected a duration like "15m", "1h30m", "90s" or "off", got "every hour"/,
    );
    await w.screenshot('7-settings-invalid');
  });

  it('shows the Web flow’s extra fields and requires its redirect URI', async () => {
    const { w } = await firstStart();
    const { page } = w;
    assert.equal(await page.locator('#f-clientSecret').count(), 0, 'desktop flow: no secret field');
    await page.check('input[name=flow][value=web]');
    await page.waitForSelector('#f-clientSecret');
    await page.fill('#f-clientId', 'abc');
    await page.fill('#f-bucket', 'b');
    await page.fill('#f-clientSecret', 'azure-secret-value');
    await page.click('[data-action=check]');
    await page.waitForSelector('.field.invalid[data-field=redirectUri]');
    assert.match(
      (await page.textContent('.field.invalid .field-error')) ?? '',
      /onedrive\.redirect_uri: missing/,
    );
  });

  it('saves through main, then returns to the dashboard; config.toml holds no secret', async () => {
    const { w, file } = await firstStart();
    const { page } = w;
    await page.fill('#f-clientId', '00000000-aaaa-bbbb-cccc-000000000000');
    await page.fill('#f-bucket', 'my-backup');
    await page.fill('#f-region', 'eu-west-1');
    await page.fill('#f-accessKeyId', 'AKIAEXAMPLEKEY');
    await page.fill('#f-secretAccessKey', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    await page.check('input[name=mailEnabled]');
    await page.waitForSelector('#f-mailApiKey');
    await page.fill('#f-mailApiKey', 'SG.abcdefghijkl.mnopqrstuvwx');
    await page.fill('#f-mailFrom', 'backup@example.com');
    await page.fill('#f-mailTo', 'me@example.com');
    await page.click('[data-action=save]');
    await page.waitForSelector('#dashboard:not([hidden])');
    assert.match((await page.textContent('#banners')) ?? '', /Settings saved/);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /bucket = "my-backup"/);
    assert.ok(
      !text.includes('wJalrXUtnFEMI') && !text.includes('SG.abc'),
      'secrets are not in config.toml',
    );
    const saves = (await w.calls()).filter((c) => c.method === 'saveSettings');
    assert.equal(saves.length, 1);
  });

  it('says where a stored secret lives without ever showing it', async () => {
    const { file, service } = realSettings();
    service.save({
      ...service.load().form,
      clientId: 'abc',
      bucket: 'b',
      accessKeyId: 'AKIAEXAMPLEKEY',
      secretAccessKey: 'secret-value-123',
    });
    const w = await openWindow({ snapshot: snapshot(), settings: service.load() });
    await w.show('settings');
    await w.page.waitForSelector('#f-accessKeyId');
    assert.equal(await w.page.inputValue('#f-accessKeyId'), '');
    assert.match(
      (await w.page.getAttribute('#f-accessKeyId', 'placeholder')) ?? '',
      /stored, encrypted/,
    );
    assert.match(
      (await w.page.textContent('[data-field=accessKeyId] .help')) ?? '',
      /Leave empty to keep/,
    );
    assert.match(
      (await w.page.textContent('.settings-head')) ?? '',
      new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
    await w.screenshot('8-settings-configured');
  });
});
