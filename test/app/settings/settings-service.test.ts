import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/core/config/index.js';
import { emptyForm } from '../../../src/app/settings/fields.js';
import { SecretStore } from '../../../src/app/settings/secrets.js';
import { REWRITE_WARNING, SettingsService } from '../../../src/app/settings/settings-service.js';
import type { SettingsForm } from '../../../src/shared/ipc.js';
import { tempDir } from '../../helpers/tmp.js';
import { fakeCodec } from './fake-codec.js';

function setup(available = true, text?: string) {
  const dir = tempDir('settings');
  const file = join(dir, 'config.toml');
  if (text !== undefined) writeFileSync(file, text);
  const store = new SecretStore(join(dir, 'secrets.json'), fakeCodec(available));
  return { dir, file, store, service: new SettingsService(file, store, {}) };
}

const desktop = (overrides: Partial<SettingsForm> = {}): SettingsForm => ({
  ...emptyForm(),
  clientId: '00000000-aaaa-bbbb-cccc-000000000000',
  bucket: 'my-backup',
  region: 'eu-west-1',
  accessKeyId: 'AKIAEXAMPLEKEY',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  interval: '30m',
  ...overrides,
});

describe('SettingsService', () => {
  it('opens with an empty desktop-flow form and firstRun when there is no config.toml', () => {
    const { service } = setup();
    const load = service.load();
    assert.equal(load.firstRun, true);
    assert.equal(load.form.flow, 'desktop');
    assert.equal(load.form.bucket, '');
    assert.equal(load.secrets.clientSecret, 'none');
  });

  it('reports the validator’s own message naming the key, and the field it belongs to', () => {
    const { service } = setup();
    const check = service.check(desktop({ bucket: '' }));
    assert.equal(check.ok, false);
    assert.ok(!check.ok);
    assert.match(check.message, /aws\.bucket: missing; expected a non-empty string/);
    assert.equal(check.field, 'bucket');
  });

  it('rejects a bad storage class with the list of allowed ones', () => {
    const { service } = setup();
    const check = service.check(desktop({ storageClass: 'COLD' }));
    assert.ok(!check.ok);
    assert.match(check.message, /aws\.storage_class: expected one of "STANDARD"/);
    assert.equal(check.field, 'storageClass');
  });

  it('requires a redirect address for the Web flow, as loading the file would', () => {
    const { service } = setup();
    const check = service.check(desktop({ flow: 'web', clientSecret: 'azure-secret-value' }));
    assert.ok(!check.ok);
    assert.match(check.message, /onedrive\.redirect_uri: missing/);
    assert.equal(check.field, 'redirectUri');
  });

  it('saves a config that loadConfig accepts, with secrets encrypted and never in config.toml', () => {
    const { service, file, store, dir } = setup();
    const result = service.save(
      desktop({
        mailEnabled: true,
        mailApiKey: 'SG.abcdefghijkl.mnopqrstuvwx',
        mailFrom: 'b@x.io',
        mailTo: 'me@x.io, you@x.io',
      }),
    );
    assert.deepEqual(result, { ok: true, warnings: [] });
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes('wJalrXUtnFEMI'), 'no secret in config.toml');
    assert.ok(!text.includes('SG.abcdefghijkl'), 'no mail key in config.toml');
    const secretsText = readFileSync(join(dir, 'secrets.json'), 'utf8');
    assert.ok(!secretsText.includes('wJalrXUtnFEMI'), 'secrets.json holds ciphertext only');
    assert.equal(statSync(join(dir, 'secrets.json')).mode & 0o777, 0o600);
    const { config } = loadConfig(file, { env: service.engineEnv() });
    assert.equal(config.aws.bucket, 'my-backup');
    assert.equal(config.aws.secretAccessKey, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    assert.equal(config.general.intervalMs, 30 * 60_000);
    assert.deepEqual(config.mail?.to, ['me@x.io', 'you@x.io']);
    assert.equal(store.read().SENDGRID_API_KEY, 'SG.abcdefghijkl.mnopqrstuvwx');
  });

  it('keeps a stored secret when its field is left empty, and says where it is', () => {
    const { service, file } = setup();
    assert.equal(service.save(desktop()).ok, true);
    const load = service.load();
    assert.equal(load.form.accessKeyId, '', 'secrets never travel to the window');
    assert.equal(load.secrets.secretAccessKey, 'encrypted');
    assert.equal(service.save({ ...load.form, bucket: 'renamed' }).ok, true);
    const { config } = loadConfig(file, { env: service.engineEnv() });
    assert.equal(config.aws.bucket, 'renamed');
    assert.equal(config.aws.accessKeyId, 'AKIAEXAMPLEKEY');
  });

  it('moves a plain-text secret from an existing config.toml into encrypted storage, keeping comments', () => {
    const original = [
      '# my old cloud_sync config',
      '[onedrive]',
      'client_id = "abc"',
      'client_secret = "plain-azure-secret"',
      'redirect_uri = "https://example.org:8000/code"',
      '',
      '[aws]',
      '# my bucket',
      'bucket = "b1"',
      '',
    ].join('\n');
    const { service, file, store } = setup(true, original);
    const load = service.load();
    assert.equal(load.form.flow, 'web');
    assert.equal(load.secrets.clientSecret, 'config-file');
    assert.deepEqual(service.save(load.form), { ok: true, warnings: [] });
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# my old cloud_sync config\n/);
    assert.match(text, /# my bucket\nbucket = "b1"/);
    assert.ok(!text.includes('plain-azure-secret'));
    assert.equal(store.read().ONEDRIVE_CLIENT_SECRET, 'plain-azure-secret');
  });

  it('drops the client secret and the Web listener keys when switching to the desktop flow', () => {
    const { service, file, store } = setup();
    const web = desktop({
      flow: 'web',
      clientSecret: 'azure-secret-value',
      redirectUri: 'https://me.example.org:8000/code',
      bindPort: '8000',
    });
    assert.equal(service.save(web).ok, true);
    assert.match(readFileSync(file, 'utf8'), /bind_port = 8000/);
    assert.equal(service.save({ ...web, flow: 'desktop', clientSecret: '' }).ok, true);
    assert.equal(store.read().ONEDRIVE_CLIENT_SECRET, undefined);
    const { config } = loadConfig(file, { env: service.engineEnv() });
    assert.equal(config.onedrive.clientSecret, undefined);
    assert.equal(config.onedrive.redirectUri, undefined);
  });

  it('falls back to a full rewrite, and says comments were lost, when a value spans lines', () => {
    const original =
      '# note\n[onedrive]\nclient_id = "abc"\n[aws]\nbucket = "b"\n[mail]\nfrom = "a@b.c"\napi_key = "SG.aaaaaaaaaaaa.bbbbbbbbbbbb"\nto = [\n  "x@y.z",\n]\n';
    const { service, file } = setup(true, original);
    const form = { ...service.load().form, mailTo: 'new@y.z' };
    const result = service.save(form);
    assert.ok(result.ok);
    assert.deepEqual(result.warnings, [REWRITE_WARNING]);
    const { config } = loadConfig(file, { env: service.engineEnv() });
    assert.deepEqual(config.mail?.to, ['new@y.z']);
  });

  it('refuses to store a typed secret when no keyring is available, naming the env variable to use', () => {
    const { service, file } = setup(false);
    const check = service.save(desktop());
    assert.ok(!check.ok);
    assert.match(check.message, /AWS_ACCESS_KEY_ID/);
    assert.throws(() => readFileSync(file), /ENOENT/);
  });
});
