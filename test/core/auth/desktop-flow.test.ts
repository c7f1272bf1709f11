import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { test } from 'node:test';
import { authorizeDesktop } from '../../../src/core/auth/desktop-flow.js';
import type { MsalApp } from '../../../src/core/auth/msal-app.js';
import { MsalTokenProvider } from '../../../src/core/auth/token-provider.js';
import { AuthError } from '../../../src/core/errors.js';
import { desktopBrowser, type Reply } from '../../sim/identity/browser.js';
import { identityFixture } from './fixtures.js';

function desktopApp(app: MsalApp): Extract<MsalApp, { flow: 'desktop' }> {
  assert.equal(app.flow, 'desktop');
  return app as Extract<MsalApp, { flow: 'desktop' }>;
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

test('the desktop flow signs in through the system browser with PKCE and a loopback redirect', async () => {
  const fx = await identityFixture('desktop');
  const seen = { urls: [] as string[], replies: [] as Reply[] };

  const account = await authorizeDesktop({
    app: desktopApp(fx.app()),
    openBrowser: desktopBrowser(fx.sim.ca, seen),
  });

  assert.equal(account.username, 'backup.owner@outlook.com');
  const authorize = new URL(seen.urls[0] ?? '');
  assert.equal(authorize.origin, fx.sim.origin);
  assert.match(authorize.searchParams.get('redirect_uri') ?? '', /^http:\/\/localhost:\d+$/);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorize.searchParams.get('response_mode'), 'form_post');
  assert.equal(fx.sim.counters.authorizationCode, 1);
  assert.equal(statSync(fx.tokensPath).mode & 0o777, 0o600);
  assert.doesNotMatch(readFileSync(fx.tokensPath, 'utf8'), /client_secret/i);
  const provider = new MsalTokenProvider({ app: fx.app() });
  assert.ok(fx.sim.issuedAccessTokens.has(await provider.getAccessToken()));
  assert.deepEqual(fx.sim.unexpected, []);
  assert.ok(fx.urls.length > 0);
  assert.ok(
    fx.urls.every((u) => u.startsWith(`POST ${fx.sim.origin}/consumers/oauth2/v2.0/token`)),
  );
});

test('aborting while the browser is open stops waiting and closes the loopback port', async () => {
  const fx = await identityFixture('desktop');
  const controller = new AbortController();
  let redirect: URL | undefined;
  const reason = Object.assign(new Error('received SIGINT'), { name: 'AbortError' });

  const pending = authorizeDesktop({
    app: desktopApp(fx.app()),
    signal: controller.signal,
    openBrowser: async (url) => {
      // The person never finishes signing in.
      redirect = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
      setImmediate(() => controller.abort(reason));
    },
  });

  await assert.rejects(pending, (e: unknown) => e === reason);
  assert.ok(redirect);
  assert.equal(await refused(Number(redirect.port)), true);
  assert.equal(fx.sim.counters.token, 0);
  assert.throws(() => statSync(fx.tokensPath), /ENOENT/);
});

test('a person declining consent ends the desktop flow with an AuthError that says so', async () => {
  const fx = await identityFixture('desktop');
  fx.sim.denyNextAuthorize('access_denied', 'The user has denied access to the scope requested.');

  await assert.rejects(
    authorizeDesktop({ app: desktopApp(fx.app()), openBrowser: desktopBrowser(fx.sim.ca) }),
    (e: unknown) =>
      e instanceof AuthError &&
      e.code === 'authorization-denied' &&
      /denied access/.test(e.message),
  );
  assert.throws(() => statSync(fx.tokensPath), /ENOENT/);
});
