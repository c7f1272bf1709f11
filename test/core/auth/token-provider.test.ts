import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import type { AuthState } from '../../../src/shared/events.js';
import { startAuthListener } from '../../../src/core/auth/listener.js';
import { MsalTokenProvider } from '../../../src/core/auth/token-provider.js';
import { AuthError, SyncError } from '../../../src/core/errors.js';
import { memoryLogger } from '../../../src/core/log/logger.js';
import { playWebFlow } from '../../sim/identity/browser.js';
import { CLIENT_SECRET, identityFixture, type IdentityFixture } from './fixtures.js';

/** Authorizes through the real listener, as a person would. */
async function authorize(fx: IdentityFixture): Promise<void> {
  const listener = await startAuthListener({ config: fx.config, app: fx.app() });
  try {
    const hops = await playWebFlow(listener.url, fx.sim.ca);
    assert.equal(hops.at(-1)?.status, 200, hops.at(-1)?.body);
  } finally {
    await listener.close();
  }
}

function watch(provider: MsalTokenProvider): AuthState[] {
  const states: AuthState[] = [];
  provider.onState((state) => states.push(state));
  return states;
}

async function authorized(t: TestContext, lifetimeSeconds = 3600) {
  const fx = await identityFixture('web');
  fx.sim.accessTokenLifetimeSeconds = lifetimeSeconds;
  await authorize(fx);
  t.diagnostic(`tokens at ${fx.tokensPath}`);
  return fx;
}

test('the tokens file is mode 0600 and holds no client secret', async (t) => {
  const fx = await authorized(t);

  assert.equal(statSync(fx.tokensPath).mode & 0o777, 0o600);
  const text = readFileSync(fx.tokensPath, 'utf8');
  assert.ok(!text.includes(CLIENT_SECRET));
  assert.match(text, /"RefreshToken"/);
});

test('a rotated refresh token is saved, so a restarted provider refreshes with the new one', async (t) => {
  // Access tokens live 60 s: inside MSAL's 5-minute margin, so every call refreshes.
  const fx = await authorized(t, 60);
  const first = new MsalTokenProvider({ app: fx.app() });
  await first.getAccessToken();
  assert.equal(fx.sim.counters.refresh, 1);
  const [current] = fx.sim.activeRefreshTokens;
  assert.ok(current && readFileSync(fx.tokensPath, 'utf8').includes(current));

  const restarted = new MsalTokenProvider({ app: fx.app() });
  const token = await restarted.getAccessToken();

  assert.equal(fx.sim.counters.refresh, 2, 'the rotated token was accepted');
  assert.ok(fx.sim.issuedAccessTokens.has(token));
  assert.equal(fx.sim.activeRefreshTokens.length, 1);
  assert.ok(readFileSync(fx.tokensPath, 'utf8').includes(fx.sim.activeRefreshTokens[0] ?? '-'));
});

test('invalid_grant throws AuthError, reports needs-authorization and keeps the tokens file', async (t) => {
  const fx = await authorized(t, 60);
  const provider = new MsalTokenProvider({ app: fx.app(), logger: memoryLogger() });
  const states = watch(provider);
  await provider.getAccessToken();
  const before = readFileSync(fx.tokensPath, 'utf8');
  fx.sim.failNextToken('invalid_grant');

  await assert.rejects(provider.getAccessToken(), AuthError);

  assert.equal(provider.state, 'needs-authorization');
  assert.deepEqual(states, ['authorized', 'needs-authorization']);
  assert.equal(readFileSync(fx.tokensPath, 'utf8'), before);
  // Until someone authorizes again, nothing is sent: the answer would be the same.
  const asked = fx.sim.counters.token;
  await assert.rejects(provider.getAccessToken(), AuthError);
  assert.equal(fx.sim.counters.token, asked);
});

test('after a new authorization the same provider works again, without a restart', async (t) => {
  const fx = await authorized(t, 60);
  const provider = new MsalTokenProvider({ app: fx.app() });
  const states = watch(provider);
  fx.sim.revokeRefreshTokens();
  await assert.rejects(provider.getAccessToken(), AuthError);

  await authorize(fx);
  const token = await provider.getAccessToken();

  assert.ok(fx.sim.issuedAccessTokens.has(token));
  assert.deepEqual(states, ['needs-authorization', 'authorized']);
  assert.equal(await provider.account(), 'backup.owner@outlook.com');
});

test('a 503 from the token endpoint keeps the tokens, is retryable with Retry-After, and the next call succeeds', async (t) => {
  const fx = await authorized(t, 60);
  const provider = new MsalTokenProvider({ app: fx.app() });
  const states = watch(provider);
  await provider.getAccessToken();
  const before = readFileSync(fx.tokensPath, 'utf8');
  fx.sim.failNextToken('unavailable', { retryAfterSeconds: 7 });

  const error = await provider.getAccessToken().then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );

  assert.ok(error instanceof SyncError);
  assert.equal(error.kind, 'retryable');
  assert.equal(error.retryAfterSeconds, 7);
  assert.equal(provider.state, 'authorized');
  assert.equal(readFileSync(fx.tokensPath, 'utf8'), before);
  const token = await provider.getAccessToken();
  assert.ok(fx.sim.issuedAccessTokens.has(token));
  assert.deepEqual(states, ['authorized']);
});

test('an unreachable authority is a retryable failure that leaves the tokens alone', async (t) => {
  const fx = await authorized(t, 60);
  const before = readFileSync(fx.tokensPath, 'utf8');
  await fx.sim.close();
  const provider = new MsalTokenProvider({ app: fx.app() });

  await assert.rejects(
    provider.getAccessToken(),
    (e: unknown) =>
      e instanceof SyncError && e.kind === 'retryable' && e.code === 'auth-unavailable',
  );
  assert.equal(readFileSync(fx.tokensPath, 'utf8'), before);
  assert.notEqual(provider.state, 'needs-authorization');
});

test('without a tokens file it throws AuthError at once and sends nothing', async () => {
  const fx = await identityFixture('web');
  const provider = new MsalTokenProvider({ app: fx.app() });
  assert.equal(await provider.refreshState(), 'not-authorized');
  assert.equal(await provider.isAuthorized(), false);

  await assert.rejects(provider.getAccessToken(), (e: unknown) => e instanceof AuthError);

  assert.equal(provider.state, 'needs-authorization');
  assert.equal(fx.sim.counters.token, 0);
  assert.deepEqual(fx.urls, []);
});

test('parallel callers share one refresh, so rotation never spends a refresh token twice', async (t) => {
  const fx = await authorized(t, 60);
  const provider = new MsalTokenProvider({ app: fx.app() });

  const tokens = await Promise.all([1, 2, 3, 4].map(() => provider.getAccessToken()));

  assert.equal(new Set(tokens).size, 1);
  assert.equal(fx.sim.counters.refresh, 1);
});

test('a still-fresh access token is served from memory without touching the authority', async (t) => {
  const fx = await authorized(t, 3600);
  const provider = new MsalTokenProvider({ app: fx.app() });
  const first = await provider.getAccessToken();
  const asked = fx.sim.counters.token;

  assert.equal(await provider.getAccessToken(), first);
  provider.invalidate();
  const renewed = await provider.getAccessToken();

  assert.equal(fx.sim.counters.token, asked + 1, 'invalidate() forced one refresh');
  assert.notEqual(renewed, first);
});

test('aborting a caller rejects with the signal reason', async (t) => {
  const fx = await authorized(t, 60);
  const provider = new MsalTokenProvider({ app: fx.app() });
  const controller = new AbortController();
  const reason = new Error('stop');

  const pending = provider.getAccessToken(controller.signal);
  controller.abort(reason);

  await assert.rejects(pending, (e: unknown) => e === reason);
});

test('an unreadable tokens file is kept and reported, and a new authorization replaces it', async () => {
  const fx = await identityFixture('web');
  writeFileSync(fx.tokensPath, 'not json at all', { mode: 0o600 });
  const provider = new MsalTokenProvider({ app: fx.app(), logger: memoryLogger() });

  await assert.rejects(
    provider.getAccessToken(),
    (e: unknown) => e instanceof AuthError && /cannot be used as a token cache/.test(e.message),
  );
  assert.equal(readFileSync(fx.tokensPath, 'utf8'), 'not json at all');

  await authorize(fx);
  assert.ok(fx.sim.issuedAccessTokens.has(await provider.getAccessToken()));
});

test('the original cloud_sync tokens file is taken over with its refresh token, once', async () => {
  const fx = await identityFixture('web');
  const legacy = fx.sim.grantRefreshToken(fx.onedrive.clientId);
  writeFileSync(
    fx.tokensPath,
    JSON.stringify({
      token_type: 'Bearer',
      scope: 'offline_access Files.Read',
      expires_in: 3600,
      ext_expires_in: 3600,
      access_token: 'old-access-token',
      refresh_token: legacy,
      granted_at: '2025-01-01T00:00:00Z',
      refreshed_at: '2025-01-01T00:00:00Z',
    }),
  );
  const provider = new MsalTokenProvider({ app: fx.app() });

  const token = await provider.getAccessToken();

  assert.ok(fx.sim.issuedAccessTokens.has(token));
  assert.ok(!fx.sim.activeRefreshTokens.includes(legacy));
  const text = readFileSync(fx.tokensPath, 'utf8');
  assert.match(text, /"RefreshToken"/);
  assert.ok(!text.includes(legacy));
  assert.equal(await provider.account(), 'backup.owner@outlook.com');
});

test('a daemon wiring onAuthorized to refreshState reports "authorized" at once, without a token request', async () => {
  const fx = await identityFixture('web');
  const provider = new MsalTokenProvider({ app: fx.app() });
  const states = watch(provider);
  await assert.rejects(provider.getAccessToken(), AuthError);
  const refreshed: Promise<AuthState>[] = [];
  const listener = await startAuthListener({
    config: fx.config,
    app: fx.app(),
    onAuthorized: () => refreshed.push(provider.refreshState()),
  });
  try {
    await playWebFlow(listener.url, fx.sim.ca);
  } finally {
    await listener.close();
  }

  assert.deepEqual(await Promise.all(refreshed), ['authorized']);
  assert.deepEqual(states, ['needs-authorization', 'authorized']);
  assert.equal(fx.sim.counters.token, 1, 'only the code exchange');
});
