import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAuthorizeCommand } from '../../../src/cli/commands/authorize.js';
import type { CliIO } from '../../../src/cli/command.js';
import { runCli } from '../../../src/cli/run.js';
import { desktopBrowser, playWebFlow } from '../../sim/identity/browser.js';
import { CLIENT_ID, CLIENT_SECRET, freePort, identityFixture } from './fixtures.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `cloud-sync authorize --config FILE` in-process; `onOutput` sees stdout as it is written. */
async function authorize(
  configFile: string,
  deps: Parameters<typeof createAuthorizeCommand>[0],
  options: { onOutput?: (text: string) => void; signal?: AbortSignal } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: {
      write: (text: string) => {
        stdout += text;
        options.onOutput?.(text);
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await runCli(['authorize', '--config', configFile], io, [
    createAuthorizeCommand(deps),
  ]);
  return { code, stdout, stderr };
}

function configFile(dir: string, onedrive: string, webServer = ''): string {
  const file = join(dir, 'config.toml');
  writeFileSync(
    file,
    `[onedrive]\n${onedrive}\ntokens_path = "${dir}/tokens.json"\n\n[aws]\nbucket = "b"\n\n` +
      `[web_server]\n${webServer}\n\n[general]\nlog_path = "${dir}/cloud-sync.log"\n`,
  );
  return file;
}

test('authorize (Web flow) prints the /grant URL, waits for the sign-in, saves tokens and exits 0', async () => {
  const fx = await identityFixture('web');
  const port = fx.webServer.bindPort;
  const file = configFile(
    fx.dir,
    `client_id = "${CLIENT_ID}"\nclient_secret = "${CLIENT_SECRET}"\n` +
      `redirect_uri = "http://127.0.0.1:${port}/code"\nauthority = "${fx.sim.authority()}"`,
    `bind_address = "127.0.0.1"\nbind_port = ${port}`,
  );
  let browsing: Promise<unknown> | undefined;

  const run = await authorize(
    file,
    { networkClient: fx.network },
    {
      onOutput: (text) => {
        const url = /^Open (\S+) in a browser/m.exec(text)?.[1];
        if (url) browsing = playWebFlow(url, fx.sim.ca);
      },
    },
  );

  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`Open http://127\\.0\\.0\\.1:${port}/grant in a browser`));
  assert.match(run.stdout, /Authorized: backup\.owner@outlook\.com\./);
  await browsing;
  assert.equal(statSync(join(fx.dir, 'tokens.json')).mode & 0o777, 0o600);
  assert.ok(!readFileSync(join(fx.dir, 'tokens.json'), 'utf8').includes(CLIENT_SECRET));
});

test('authorize (desktop flow) prints the sign-in URL, opens the browser and exits 0', async () => {
  const fx = await identityFixture('desktop');
  const file = configFile(
    fx.dir,
    `client_id = "${CLIENT_ID}"\nauthority = "${fx.sim.authority()}"`,
    // Copied from config.example.toml: TLS files the desktop flow never reads must not stop it.
    `tls_private_key = "${fx.dir}/absent/privkey.pem"\ntls_chain_cert = "${fx.dir}/absent/fullchain.pem"`,
  );

  const run = await authorize(file, {
    networkClient: fx.network,
    openBrowser: desktopBrowser(fx.sim.ca),
  });

  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    new RegExp(
      `visit:\\n  ${fx.sim.origin.replace(/\./g, '\\.')}/consumers/oauth2/v2\\.0/authorize\\?`,
    ),
  );
  assert.match(run.stdout, /Authorized: backup\.owner@outlook\.com\./);
});

test('authorize exits 2 with a readable message when consent is declined', async () => {
  const fx = await identityFixture('desktop');
  fx.sim.denyNextAuthorize('access_denied', 'The user has denied access to the scope requested.');
  const file = configFile(
    fx.dir,
    `client_id = "${CLIENT_ID}"\nauthority = "${fx.sim.authority()}"`,
    // Copied from config.example.toml: TLS files the desktop flow never reads must not stop it.
    `tls_private_key = "${fx.dir}/absent/privkey.pem"\ntls_chain_cert = "${fx.dir}/absent/fullchain.pem"`,
  );

  const run = await authorize(file, {
    networkClient: fx.network,
    openBrowser: desktopBrowser(fx.sim.ca),
  });

  assert.equal(run.code, 2);
  assert.match(run.stderr, /Access was not granted: .*denied access/);
  assert.match(run.stderr, /hint: Run `cloud-sync authorize` again/);
});

test('authorize exits 2 naming web_server.tls_private_key when asked to serve plain HTTP publicly', async () => {
  const fx = await identityFixture('web');
  const port = await freePort();
  const file = configFile(
    fx.dir,
    `client_id = "${CLIENT_ID}"\nclient_secret = "${CLIENT_SECRET}"\n` +
      `redirect_uri = "https://backup.example.com:${port}/code"\nauthority = "${fx.sim.authority()}"`,
    `bind_address = "0.0.0.0"\nbind_port = ${port}`,
  );

  const run = await authorize(file, { networkClient: fx.network });

  assert.equal(run.code, 2);
  assert.match(run.stderr, /web_server\.tls_private_key/);
  assert.ok(!run.stderr.includes(CLIENT_SECRET));
});

test('Ctrl-C while waiting for the browser stops the listener and changes nothing', async () => {
  const fx = await identityFixture('web');
  const port = fx.webServer.bindPort;
  const file = configFile(
    fx.dir,
    `client_id = "${CLIENT_ID}"\nclient_secret = "${CLIENT_SECRET}"\n` +
      `redirect_uri = "http://127.0.0.1:${port}/code"\nauthority = "${fx.sim.authority()}"`,
    `bind_address = "127.0.0.1"\nbind_port = ${port}`,
  );
  const controller = new AbortController();

  const run = await authorize(
    file,
    { networkClient: fx.network },
    { signal: controller.signal, onOutput: () => setImmediate(() => controller.abort()) },
  );

  // Not authorized: `authorize && daemon` must not carry on.
  assert.equal(run.code, 2);
  assert.match(run.stderr, /Stopped before the authorization completed/);
  assert.throws(() => statSync(join(fx.dir, 'tokens.json')), /ENOENT/);
  assert.equal(await freePortIs(port), true);
});

async function freePortIs(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
