import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  loadConfig,
  resolveConfigFile,
  validateConfigText,
} from '../../../src/core/config/index.js';
import { SCHEMA } from '../../../src/core/config/schema.js';
import { ConfigError } from '../../../src/core/errors.js';
import { minimalConfigText, originalConfigText, writeConfig } from '../../helpers/config.js';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

test("the original tool's config loads unchanged, all five sections", () => {
  const { file, dir } = writeConfig(originalConfigText);
  const { config, warnings } = loadConfig(file, { env: {} });
  assert.deepEqual(warnings, []);
  assert.equal(config.onedrive.clientId, '11111111-2222-3333-4444-555555555555');
  assert.equal(config.onedrive.clientSecret, 's3cr3t-client-value~xyz');
  assert.equal(config.onedrive.redirectUri, 'https://backup.example.com:8000/code');
  assert.deepEqual(config.onedrive.scopes, [
    'offline_access',
    'Files.Read',
    'Files.Read.All',
    'Files.ReadWrite',
    'Files.ReadWrite.All',
  ]);
  assert.equal(config.onedrive.tokensPath, `${dir}/tokens.json`);
  assert.equal(config.onedrive.deltaLinkPath, `${dir}/delta_link.json`);
  assert.equal(config.aws.bucket, 'my-backup-bucket');
  assert.equal(config.aws.region, 'eu-north-1');
  assert.equal(config.mail?.to[0], 'Me <me@example.com>');
  assert.equal(config.webServer.bindPort, 8000);
  assert.equal(config.general.syncTime, '01:00:00');
  // The original ran once a day at sync_time: no interval sneaks in.
  assert.equal(config.general.intervalMs, 0);
  assert.equal(config.general.deletePolicy, 'keep');
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.aws));
});

test('config.example.toml loads and documents every key the product knows', () => {
  const text = readFileSync(new URL('../../../config.example.toml', import.meta.url), 'utf8');
  const { config } = validateConfigText(text, 'config.example.toml', { env: {} });
  assert.equal(config.aws.bucket, 'my-onedrive-backup');
  for (const [section, keys] of Object.entries(SCHEMA)) {
    assert.match(
      text,
      new RegExp(`^#? ?\\[${section}\\]`, 'm'),
      `section [${section}] is documented`,
    );
    for (const key of Object.keys(keys))
      assert.match(text, new RegExp(`^#? ?${key}\\b`, 'm'), `${section}.${key} is documented`);
  }
});

test('a TOML syntax error names the file, line and column', () => {
  const { file } = writeConfig('[aws]\nbucket = "b"\nregion = = "x"\n');
  const error = configError(() => loadConfig(file, { env: {} }));
  assert.match(
    error.message,
    new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+: TOML syntax error`),
  );
});

test('a wrong type names the key, its line, what was found and what is expected', () => {
  const { file } = writeConfig((dir) =>
    minimalConfigText(dir, '\n[web_server]\nbind_port = "eighty"\n'),
  );
  const error = configError(() => loadConfig(file, { env: {} }));
  assert.match(
    error.message,
    /config\.toml:9: web_server\.bind_port: expected a whole number from 0 to 65535, got "eighty" \(a string\)/,
  );
});

test('a missing required key is named, with the section it belongs in', () => {
  const { file } = writeConfig('[onedrive]\nclient_id = "x"\n');
  assert.match(
    configError(() => loadConfig(file, { env: {} })).message,
    /aws\.bucket: missing; expected a non-empty string in a \[aws\] section/,
  );
});

test('a bad enum lists the allowed values', () => {
  const { file } = writeConfig((dir) => minimalConfigText(dir, 'storage_class = "COLD"\n'));
  assert.match(
    configError(() => loadConfig(file, { env: {} })).message,
    /aws\.storage_class: expected one of "STANDARD", .*"DEEP_ARCHIVE", got "COLD"/,
  );
});

test('a bad duration is refused with examples of good ones', () => {
  const { file } = writeConfig((dir) => minimalConfigText(dir, '\n[general]\ninterval = "15x"\n'));
  assert.match(
    configError(() => loadConfig(file, { env: {} })).message,
    /general\.interval: expected a duration like "15m", "1h30m", "90s" or "off", got "15x"/,
  );
});

test('durations, times and defaults are parsed into typed values', () => {
  const { file } = writeConfig((dir) =>
    minimalConfigText(dir, 'prefix = "backup"\n\n[general]\ninterval = "1h30m"\nconcurrency = 8\n'),
  );
  const { config } = loadConfig(file, { env: {} });
  assert.equal(config.general.intervalMs, 90 * 60_000);
  assert.equal(config.general.concurrency, 8);
  assert.equal(config.aws.prefix, 'backup/');
  assert.equal(config.aws.storageClass, 'STANDARD');
  assert.equal(config.onedrive.authority, 'https://login.microsoftonline.com/consumers');
  assert.deepEqual(config.onedrive.scopes, ['offline_access', 'Files.Read']);
});

test('an unreadable TLS file is named when the listener needs it', () => {
  const { file } = writeConfig(originalConfigText);
  const error = configError(() => loadConfig(file, { env: {}, checkTlsFiles: true }));
  assert.match(
    error.message,
    /web_server\.tls_private_key: expected a readable file, but .*privkey\.pem cannot be read \(ENOENT\)/,
  );
});

test('an unknown key warns and suggests the closest known key', () => {
  const { file } = writeConfig((dir) => minimalConfigText(dir, 'buckett = "typo"\n'));
  const { warnings } = loadConfig(file, { env: {} });
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.key, 'aws.buckett');
  assert.equal(warnings[0]?.line, 7);
  assert.match(warnings[0]?.message ?? '', /unknown key aws\.buckett; did you mean bucket\?/);
});

test('a typo that hides a required key says so in the error', () => {
  const { file } = writeConfig('[onedrive]\nclient_id = "x"\n[aws]\nbuckett = "b"\n');
  const error = configError(() => loadConfig(file, { env: {} }));
  assert.match(error.message, /aws\.bucket: missing.*found unknown key "buckett"/);
  assert.match(error.warnings[0]?.message ?? '', /did you mean bucket\?/);
});

test('secrets may come from the environment, and a malformed secret is never echoed', () => {
  const { file } = writeConfig((dir) =>
    minimalConfigText(dir).replace('[aws]', 'redirect_uri = "https://h:8000/code"\n[aws]'),
  );
  const { config } = loadConfig(file, { env: { ONEDRIVE_CLIENT_SECRET: 'from-env-secret' } });
  assert.equal(config.onedrive.clientSecret, 'from-env-secret');
  assert.equal(config.aws.accessKeyId, undefined);

  const bad = writeConfig((dir) => minimalConfigText(dir, 'secret_access_key = 123456789\n'));
  const message = configError(() => loadConfig(bad.file, { env: {} })).message;
  assert.match(
    message,
    /aws\.secret_access_key: expected a non-empty string, got a number \(value hidden\)/,
  );
  assert.doesNotMatch(message, /123456789/);
});

test('CONFIG_PATH (with or without trailing slash), CONFIG_DIR and --config find the file', () => {
  assert.equal(resolveConfigFile({ env: { CONFIG_PATH: '/etc/cs/' } }), '/etc/cs/config.toml');
  assert.equal(resolveConfigFile({ env: { CONFIG_PATH: '/etc/cs' } }), '/etc/cs/config.toml');
  assert.equal(resolveConfigFile({ env: { CONFIG_DIR: '/opt/cs/' } }), '/opt/cs/config.toml');
  assert.equal(
    resolveConfigFile({ configFile: '/x/y.toml', env: { CONFIG_PATH: '/etc/cs' } }),
    '/x/y.toml',
  );
});

test('a missing file says where it looked and what to do', () => {
  const { dir } = writeConfig('');
  const error = configError(() => loadConfig(join(dir, 'nope.toml'), { env: {} }));
  assert.match(
    error.message,
    /nope\.toml: no configuration file here\. Copy config\.example\.toml/,
  );
});

test('relative paths resolve against the config file, not the working directory', () => {
  const { file, dir } = writeConfig((d) =>
    minimalConfigText(d).replace(`tokens_path = "${d}/tokens.json"`, 'tokens_path = "sub/t.json"'),
  );
  writeFileSync(file, readFileSync(file, 'utf8'));
  assert.equal(loadConfig(file, { env: {} }).config.onedrive.tokensPath, join(dir, 'sub/t.json'));
});
