import assert from 'node:assert/strict';
import { test } from 'node:test';
import { discoveryOptions, flowOf, isMicrosoftAuthority } from '../../../src/core/auth/msal-app.js';
import { IdentitySimulator } from '../../sim/identity/server.js';
import { identityFixture } from './fixtures.js';

test('a client secret selects the Web flow, its absence the desktop flow', async () => {
  const web = await identityFixture('web');
  assert.equal(flowOf(web.onedrive), 'web');
  assert.equal(web.app().flow, 'web');
  assert.equal(flowOf({ ...web.onedrive, clientSecret: undefined }), 'desktop');
});

test("Microsoft's authorities keep MSAL's own discovery", () => {
  for (const authority of [
    'https://login.microsoftonline.com/consumers',
    'https://login.microsoftonline.us/common',
    'https://login.partner.microsoftonline.cn/consumers',
  ]) {
    assert.equal(isMicrosoftAuthority(authority), true, authority);
    assert.deepEqual(discoveryOptions(authority), {});
  }
});

test('any other authority gets its endpoints stated up front, matching what the simulator serves', async (t) => {
  const sim = await IdentitySimulator.start();
  t.after(() => sim.close());

  const options = discoveryOptions(sim.authority());

  assert.equal(isMicrosoftAuthority(sim.authority()), false);
  assert.deepEqual(options.knownAuthorities, [new URL(sim.origin).host]);
  const metadata = JSON.parse(options.authorityMetadata ?? '{}') as Record<string, string>;
  const simMetadata = JSON.parse(sim.authorityMetadata()) as Record<string, string>;
  for (const key of ['authorization_endpoint', 'token_endpoint', 'issuer', 'jwks_uri']) {
    assert.equal(metadata[key], simMetadata[key], key);
  }
  assert.deepEqual(
    JSON.parse(options.cloudDiscoveryMetadata ?? '{}'),
    JSON.parse(sim.cloudDiscoveryMetadata()),
  );
  // A look-alike host is not Microsoft.
  assert.equal(
    isMicrosoftAuthority('https://login.microsoftonline.com.evil.example/consumers'),
    false,
  );
});
