import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { startAuthListener, type AuthorizedAccount } from '../../../src/core/auth/listener.js';
import { MsalTokenProvider } from '../../../src/core/auth/token-provider.js';
import { ConfigError } from '../../../src/core/errors.js';
import { memoryLogger } from '../../../src/core/log/logger.js';
import { FakeClock } from '../../helpers/clock.js';
import { browserRequest, playWebFlow } from '../../sim/identity/browser.js';
import { testCertificate } from '../../sim/identity/tls.js';
import { CLIENT_SECRET, freePort, identityFixture, type IdentityFixture } from './fixtures.js';

async function listening(t: TestContext, fx: IdentityFixture, extra: { clock?: FakeClock } = {}) {
  const logger = memoryLogger();
  const authorized: AuthorizedAccount[] = [];
  const listener = await startAuthListener({
    config: fx.config,
    app: fx.app(),
    logger,
    onAuthorized: (a) => authorized.push(a),
    ...extra,
  });
  t.after(() => listener.close());
  return { listener, logger, authorized };
}

/** The tokens file's bytes and mtime, to prove a refused request changed nothing. */
const snapshot = (path: string) => ({
  bytes: readFileSync(path, 'utf8'),
  mtimeMs: statSync(path).mtimeMs,
});

test('opening /grant and signing in stores tokens the provider can use, talking only to the authority', async (t) => {
  const fx = await identityFixture('web');
  const l = await listening(t, fx);
  assert.equal(l.listener.url, `http://127.0.0.1:${fx.webServer.bindPort}/grant`);

  const hops = await playWebFlow(l.listener.url, fx.sim.ca);
  assert.deepEqual(
    hops.map((h) => h.status),
    [302, 302, 200],
  );
  const toMicrosoft = new URL(hops[0]?.headers.location ?? '');
  assert.equal(toMicrosoft.origin, fx.sim.origin);
  assert.equal(toMicrosoft.searchParams.get('code_challenge_method'), 'S256');
  assert.ok((toMicrosoft.searchParams.get('state') ?? '').length >= 40);
  assert.equal(toMicrosoft.searchParams.get('scope'), 'offline_access Files.Read openid profile');
  assert.match(hops[2]?.body ?? '', /OneDrive authorized/);
  assert.match(hops[2]?.body ?? '', /backup\.owner@outlook\.com/);
  assert.deepEqual(
    l.authorized.map((a) => a.username),
    ['backup.owner@outlook.com'],
  );

  const provider = new MsalTokenProvider({ app: fx.app() });
  const token = await provider.getAccessToken();
  assert.ok(fx.sim.issuedAccessTokens.has(token));
  assert.equal(provider.state, 'authorized');
  assert.deepEqual(fx.sim.unexpected, []);
  assert.ok(
    fx.urls.every((u) => u.startsWith(`POST ${fx.sim.origin}/consumers/oauth2/v2.0/token`)),
  );
});

test('a /code with a forged or missing state is refused with 400 and leaves the tokens file untouched', async (t) => {
  const fx = await identityFixture('web');
  const l = await listening(t, fx);
  await playWebFlow(l.listener.url, fx.sim.ca);
  const before = snapshot(fx.tokensPath);
  const tokenRequests = fx.sim.counters.token;

  const base = `http://127.0.0.1:${fx.webServer.bindPort}/code`;
  const forged = await browserRequest(`${base}?code=stolen&state=made-up-by-an-attacker`);
  const missing = await browserRequest(`${base}?code=stolen`);
  const doubled = await browserRequest(`${base}?code=a&state=x&state=y`);

  for (const reply of [forged, missing, doubled]) {
    assert.equal(reply.status, 400);
    assert.match(reply.headers['content-type'] ?? '', /text\/html/);
  }
  assert.match(forged.body, /unknown, expired or already used/);
  assert.match(missing.body, /no &quot;state&quot;/);
  assert.equal(fx.sim.counters.token, tokenRequests, 'no code was exchanged');
  assert.deepEqual(snapshot(fx.tokensPath), before);
  assert.equal(l.authorized.length, 1);
});

test('replaying a callback that already succeeded is refused: each state redeems once', async (t) => {
  const fx = await identityFixture('web');
  const l = await listening(t, fx);
  const hops = await playWebFlow(l.listener.url, fx.sim.ca);
  const callback = hops[1]?.headers.location ?? '';
  assert.match(callback, /\/code\?code=/);
  const before = snapshot(fx.tokensPath);

  const replay = await browserRequest(callback);

  assert.equal(replay.status, 400);
  assert.match(replay.body, /already used/);
  assert.equal(fx.sim.counters.authorizationCode, 1);
  assert.deepEqual(snapshot(fx.tokensPath), before);
});

test('a grant not completed within 10 minutes expires and its callback is refused', async (t) => {
  const fx = await identityFixture('web');
  const clock = new FakeClock(Date.now());
  const l = await listening(t, fx, { clock });
  const toMicrosoft = await browserRequest(l.listener.url);
  const back = await browserRequest(toMicrosoft.headers.location ?? '', { ca: fx.sim.ca });
  await clock.advance(10 * 60_000 + 1);

  const late = await browserRequest(back.headers.location ?? '');

  assert.equal(late.status, 400);
  assert.equal(fx.sim.counters.token, 0);
  assert.throws(() => statSync(fx.tokensPath), /ENOENT/);
});

test('Microsoft answering error=access_denied shows a readable page and logs it, storing nothing', async (t) => {
  const fx = await identityFixture('web');
  const l = await listening(t, fx);
  fx.sim.denyNextAuthorize('access_denied', 'The user has denied access to the scope requested.');

  const hops = await playWebFlow(l.listener.url, fx.sim.ca);

  const page = hops.at(-1);
  assert.equal(page?.status, 400);
  assert.match(page?.body ?? '', /Access was not granted/);
  assert.match(
    page?.body ?? '',
    /access_denied — The user has denied access to the scope requested\./,
  );
  assert.ok(l.logger.lines.some((line) => /^warn .*access_denied/.test(line)));
  assert.equal(l.authorized.length, 0);
  assert.throws(() => statSync(fx.tokensPath), /ENOENT/);
});

test('only GET on /grant and /code is served: other paths 404, other methods 405, huge URLs 414', async (t) => {
  const fx = await identityFixture('web');
  await listening(t, fx);
  const origin = `http://127.0.0.1:${fx.webServer.bindPort}`;

  assert.equal((await browserRequest(`${origin}/`)).status, 404);
  assert.equal((await browserRequest(`${origin}/tokens.json`)).status, 404);
  const post = await browserRequest(`${origin}/code`, { form: { code: 'x', state: 'y' } });
  assert.equal(post.status, 405);
  assert.equal(post.headers.allow, 'GET');
  assert.equal((await browserRequest(`${origin}/code?state=${'a'.repeat(5000)}`)).status, 414);
  const many = Array.from({ length: 30 }, (_, i) => `p${i}=1`).join('&');
  assert.equal((await browserRequest(`${origin}/code?${many}`)).status, 400);
  assert.equal(fx.sim.counters.token, 0);
});

test('refuses plain HTTP on a non-loopback address, naming web_server.tls_private_key', async () => {
  const fx = await identityFixture('web');
  const config = { ...fx.config, webServer: { ...fx.webServer, bindAddress: '0.0.0.0' } };

  await assert.rejects(
    startAuthListener({ config, app: fx.app() }),
    (error: unknown) =>
      error instanceof ConfigError && /web_server\.tls_private_key/.test(error.message),
  );
});

test('serves HTTPS with the configured key and certificate chain', async () => {
  const fx = await identityFixture('web');
  const { key, cert } = await testCertificate();
  writeFileSync(join(fx.dir, 'key.pem'), key);
  writeFileSync(join(fx.dir, 'chain.pem'), cert);
  const port = await freePort();
  const redirectUri = `https://localhost:${port}/code`;
  fx.sim.registerClient({
    clientId: fx.onedrive.clientId,
    secret: CLIENT_SECRET,
    redirectUris: [redirectUri],
  });
  const onedrive = { ...fx.onedrive, redirectUri };
  const webServer = {
    bindAddress: '0.0.0.0',
    bindPort: port,
    tlsPrivateKey: join(fx.dir, 'key.pem'),
    tlsChainCert: join(fx.dir, 'chain.pem'),
  };
  const listener = await startAuthListener({ config: { onedrive, webServer }, app: fx.app() });
  try {
    assert.equal(listener.url, `https://localhost:${port}/grant`);
    assert.equal(listener.address.protocol, 'https');
    const hops = await playWebFlow(listener.url, fx.sim.ca);
    assert.equal(hops.at(-1)?.status, 200);
    assert.match(readFileSync(fx.tokensPath, 'utf8'), /"RefreshToken"/);
  } finally {
    await listener.close();
  }
});
