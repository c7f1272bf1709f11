import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { engineHostFactory } from '../../src/app/compose.js';
import { emptyForm } from '../../src/app/settings/fields.js';
import { SecretStore } from '../../src/app/settings/secrets.js';
import { SettingsService } from '../../src/app/settings/settings-service.js';
import { ConfigError } from '../../src/core/errors.js';
import { memoryLogger } from '../../src/core/log/logger.js';
import { redact } from '../../src/core/log/redact.js';
import { tempDir } from '../helpers/tmp.js';
import { fakeCodec } from './settings/fake-codec.js';

function setup() {
  const dir = tempDir('compose');
  const file = join(dir, 'config.toml');
  const settings = new SettingsService(
    file,
    new SecretStore(join(dir, 'secrets.json'), fakeCodec()),
    {},
  );
  const opened: string[] = [];
  const open = engineHostFactory({
    env: () => settings.engineEnv(),
    logger: memoryLogger(),
    tokenCodec: undefined,
    openBrowser: async (url) => {
      opened.push(url);
    },
  });
  return { dir, file, settings, open, opened };
}

describe('the engine host the app composes', () => {
  it('refuses a config.toml the validator rejects, with its message', async () => {
    const { file, open } = setup();
    writeFileSync(file, '[onedrive]\nclient_id = "abc"\n');
    await assert.rejects(
      open(file),
      (e: unknown) => e instanceof ConfigError && /aws\.bucket: missing/.test(e.message),
    );
  });

  it('is the daemon’s BackupService on the saved config, with the Settings secrets, and stops cleanly', async () => {
    const { file, settings, open } = setup();
    const saved = settings.save({
      ...emptyForm(),
      clientId: '00000000-aaaa-bbbb-cccc-000000000000',
      bucket: 'my-backup',
      region: 'eu-west-1',
      prefix: 'onedrive',
      accessKeyId: 'AKIAEXAMPLEKEY',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    assert.equal(saved.ok, true);
    const host = await open(file);
    assert.deepEqual(host.account, {
      bucket: 'my-backup',
      prefix: 'onedrive/',
      region: 'eu-west-1',
      flow: 'desktop',
    });
    assert.equal(host.auth().state, 'not-authorized');
    assert.equal(host.paused, false);
    assert.deepEqual(host.recentRounds(10), []);
    assert.equal(
      redact('key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY leaked'),
      'key [redacted] leaked',
      'Settings secrets are redacted everywhere',
    );
    await host.stop(100);
  });
});
