import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileAtomic } from '../../../src/core/auth/atomic-file.js';
import { FileCachePlugin, type TokenCodec } from '../../../src/core/auth/cache-plugin.js';
import { startAuthListener } from '../../../src/core/auth/listener.js';
import { MsalTokenProvider } from '../../../src/core/auth/token-provider.js';
import { AuthError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/tmp.js';
import { playWebFlow } from '../../sim/identity/browser.js';
import { identityFixture } from './fixtures.js';

/** Stands in for Electron's safeStorage: AES-GCM under a key only this "machine" has. */
function testCodec(key = randomBytes(32)): TokenCodec {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([Buffer.from('v10'), iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(3, 15));
      decipher.setAuthTag(sealed.subarray(15, 31));
      return Buffer.concat([decipher.update(sealed.subarray(31)), decipher.final()]);
    },
  };
}

test('an atomic write replaces the file whole, with mode 0600, and leaves no temporary file', async () => {
  const dir = tempDir();
  const path = join(dir, 'tokens.json');
  writeFileSync(path, 'old contents', { mode: 0o644 });

  await writeFileAtomic(path, '{"new":true}');

  assert.equal(readFileSync(path, 'utf8'), '{"new":true}');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(readdirSync(dir), ['tokens.json']);
});

test('with a codec the tokens file is sealed at rest and still works after a restart', async () => {
  const fx = await identityFixture('web');
  const codec = testCodec();
  const listener = await startAuthListener({ config: fx.config, app: fx.app({ codec }) });
  try {
    await playWebFlow(listener.url, fx.sim.ca);
  } finally {
    await listener.close();
  }

  const raw = readFileSync(fx.tokensPath);
  assert.equal(raw.subarray(0, 3).toString(), 'v10');
  assert.ok(!raw.toString('latin1').includes('RefreshToken'));
  const provider = new MsalTokenProvider({ app: fx.app({ codec }) });
  assert.ok(fx.sim.issuedAccessTokens.has(await provider.getAccessToken()));
});

test('a sealed file read without its key is reported, kept, and not mistaken for "no file"', async () => {
  const fx = await identityFixture('web');
  const listener = await startAuthListener({
    config: fx.config,
    app: fx.app({ codec: testCodec() }),
  });
  try {
    await playWebFlow(listener.url, fx.sim.ca);
  } finally {
    await listener.close();
  }
  const sealed = readFileSync(fx.tokensPath);

  for (const codec of [undefined, testCodec()]) {
    const provider = new MsalTokenProvider({ app: fx.app(codec ? { codec } : {}) });
    await assert.rejects(
      provider.getAccessToken(),
      (e: unknown) => e instanceof AuthError && /cannot be used as a token cache/.test(e.message),
    );
  }
  assert.deepEqual(readFileSync(fx.tokensPath), sealed);
  assert.equal(fx.sim.counters.refresh, 0);
});

test('a plain tokens file (written by the CLI) is read with a codec and sealed on the next write', async () => {
  const fx = await identityFixture('web');
  fx.sim.accessTokenLifetimeSeconds = 60;
  const listener = await startAuthListener({ config: fx.config, app: fx.app() });
  try {
    await playWebFlow(listener.url, fx.sim.ca);
  } finally {
    await listener.close();
  }
  assert.equal(readFileSync(fx.tokensPath, 'utf8')[0], '{');
  const codec = testCodec();

  await new MsalTokenProvider({ app: fx.app({ codec }) }).getAccessToken();

  assert.equal(readFileSync(fx.tokensPath).subarray(0, 3).toString(), 'v10');
  assert.ok(
    fx.sim.issuedAccessTokens.has(
      await new MsalTokenProvider({ app: fx.app({ codec }) }).getAccessToken(),
    ),
  );
});

test('the plugin refuses to write a cache that contains a forbidden secret', async () => {
  const path = join(tempDir(), 'tokens.json');
  const plugin = new FileCachePlugin({ path, forbidden: ['s3cret-value'] });
  const context = {
    cacheHasChanged: true,
    tokenCache: { serialize: () => '{"leak":"s3cret-value"}', deserialize: () => undefined },
  } as unknown as Parameters<FileCachePlugin['afterCacheAccess']>[0];

  await assert.rejects(plugin.afterCacheAccess(context), /refusing to write a secret/);
  assert.throws(() => statSync(path), /ENOENT/);
});
