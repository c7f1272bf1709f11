import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { minimalConfigText, writeConfig } from '../helpers/config.js';

test('--help lists the commands and exit codes', async () => {
  const { code, stdout } = await cli(['--help']);
  assert.equal(code, 0);
  assert.match(stdout, /Usage: cloud-sync <command>/);
  assert.match(stdout, /status \[--json\]/);
  assert.match(stdout, /Exit codes: 0 ok/);
});

test('--version prints the package version', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const { code, stdout } = await cli(['--version']);
  assert.equal(code, 0);
  assert.equal(stdout.trim(), pkg.version);
});

test('an unknown command or option exits 2 with a pointer to help', async () => {
  assert.equal((await cli(['frobnicate'])).code, 2);
  const bad = await cli(['status', '--jsno']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown option '--jsno'/);
});

test('status works before authorization and says "not authorized"', async () => {
  const { dir } = writeConfig((d) => minimalConfigText(d));
  const { code, stdout } = await cli(['status'], { CONFIG_PATH: `${dir}/` });
  assert.equal(code, 0);
  assert.match(stdout, /not authorized/);
  const json = await cli(['status', '--json'], { CONFIG_PATH: dir });
  assert.equal(json.code, 0);
  assert.equal((JSON.parse(json.stdout) as { auth: string }).auth, 'not-authorized');
});

test('status does not call a garbled tokens file "authorized"', async () => {
  const { dir } = writeConfig((d) => minimalConfigText(d));
  writeFileSync(join(dir, 'tokens.json'), 'not a token cache');
  const { code, stdout } = await cli(['status', '--json'], { CONFIG_PATH: dir });
  assert.equal(code, 0);
  const status = JSON.parse(stdout) as { auth: string; authProblem?: string };
  assert.equal(status.auth, 'not-authorized');
  assert.ok(status.authProblem, 'says what is wrong with the tokens file');
});

test('a broken config exits 2 naming the key; warnings name the line', async () => {
  const { dir, file } = writeConfig((d) =>
    minimalConfigText(d, 'buckett = "x"\n\n[web_server]\nbind_port = "eighty"\n'),
  );
  const { code, stderr } = await cli(['status', '--config', file], {});
  assert.equal(code, 2);
  assert.match(stderr, /web_server\.bind_port: expected a whole number/);
  assert.match(
    stderr,
    new RegExp(`warning: ${dir}/config.toml:7: unknown key aws\\.buckett; did you mean bucket\\?`),
  );
});

test('a TOML syntax error exits 2 naming line and column', async () => {
  const { dir } = writeConfig('[aws\nbucket = "b"\n');
  const { code, stderr } = await cli(['status'], { CONFIG_DIR: dir });
  assert.equal(code, 2);
  assert.match(stderr, /config\.toml:1:\d+: TOML syntax error/);
});
