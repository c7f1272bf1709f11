import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CONTENT_SECURITY_POLICY,
  resolveAppPath,
  serveAppFile,
} from '../../src/app/app-protocol.js';
import { tempDir } from '../helpers/tmp.js';

function site(): string {
  const root = tempDir('app-protocol');
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'renderer', 'main.js'), 'export {};');
  writeFileSync(join(root, 'secret.txt'), 'not for the window');
  return root;
}

describe('the app:// protocol', () => {
  it('serves the window’s files with the CSP header and a module-friendly type', async () => {
    const root = site();
    const html = await serveAppFile('GET', '/renderer/index.html', root);
    assert.equal(html.status, 200);
    assert.equal(html.headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
    assert.equal(html.headers['X-Content-Type-Options'], 'nosniff');
    const js = await serveAppFile('GET', '/renderer/main.js', root);
    assert.equal(js.headers['Content-Type'], 'text/javascript; charset=utf-8');
  });

  it('forbids inline script and style, remote content, framing and form posts', () => {
    for (const rule of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ])
      assert.ok(CONTENT_SECURITY_POLICY.includes(rule), rule);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|https?:/);
  });

  it('never leaves its folder, and refuses unknown file types and other methods', async () => {
    const root = site();
    for (const path of [
      '/../secret.txt',
      '/renderer/../../etc/passwd',
      '/%2e%2e/secret.txt',
      '/renderer/%00.html',
      '/%E0%A4%A',
    ])
      assert.equal((await serveAppFile('GET', path, root)).status, 404, path);
    assert.equal((await serveAppFile('GET', '/secret.txt', root)).status, 404, 'only known types');
    assert.equal((await serveAppFile('POST', '/renderer/index.html', root)).status, 405);
    assert.equal(
      resolveAppPath('/renderer/index.html', root),
      join(root, 'renderer', 'index.html'),
    );
    assert.equal(resolveAppPath('/../x.html', root), undefined);
  });
});
