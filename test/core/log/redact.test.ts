import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createNodeLogger, memoryLogger } from '../../../src/core/log/logger.js';
import { Redactor } from '../../../src/core/log/redact.js';
import { tempDir } from '../../helpers/tmp.js';

const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXBhcnQ';

const LEAKS: Array<[string, string]> = [
  ['Authorization: Bearer EwBwA8l6BAAUO9chh8cJscQLmU+LSWpbnr0vmwwAAQ', 'EwBwA8l6BAAU'],
  [`token ${JWT}`, 'eyJzdWIiOiJ1c2VyIn0'],
  ['{"access_token":"abc.def-123","refresh_token":"M.C105_BAY.-CYj7q"}', 'M.C105_BAY'],
  ['client_secret = "Kv8Q~fake.secret_value"', 'Kv8Q~fake'],
  ['POST /token code=M.R3_BAY.c0de-value&code_verifier=verifier123&state=abc', 'M.R3_BAY'],
  [
    'GET https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F20261127&X-Amz-Signature=deadbeef01',
    'deadbeef01',
  ],
  [
    'GET https://public.bn.files.1drv.com/y4mWQ7fK9example-preauth-path/file.bin?download',
    'y4mWQ7fK9example',
  ],
  ['http://127.0.0.1:5000/dl/ABC!1?tempauth=v1.secretish-token&x=1', 'secretish-token'],
  ['refresh failed for M.C543_BL2.0.U.-CrXq2z9!Abc*def$ on retry', 'CrXq2z9'],
  [
    'opaque access token EwBYA8l6BAAUkWhN3tfaJbEJSuwOVhUw3/xyz+abc== in a header dump',
    'EwBYA8l6BAAU',
  ],
  [
    'sendgrid key SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG failed',
    'abcdefghijklmnopqrstuv',
  ],
];

test('tokens, secrets, API keys and pre-signed URLs are redacted from text', () => {
  const r = new Redactor();
  for (const [line, secret] of LEAKS) {
    const out = r.redact(line);
    assert.ok(!out.includes(secret), `leaked ${secret} in ${out}`);
    assert.match(out, /\[redacted\]/);
  }
});

test('ordinary text passes through untouched', () => {
  const r = new Redactor();
  const line = 'uploaded Documents/Sub/a file #1 (50%).txt in 2.1 s; key=Documents/x code path';
  assert.equal(r.redact(line), line);
});

test('configured secrets are masked wherever they appear, also inside objects and errors', () => {
  const r = new Redactor();
  r.addSecret('my-very-plain-secret');
  assert.equal(r.redact('oops my-very-plain-secret leaked'), 'oops [redacted] leaked');
  const value = r.redactValue({
    nested: ['x my-very-plain-secret'],
    Authorization: 'whatever',
    password: 'p',
  }) as Record<string, unknown>;
  assert.deepEqual(value, {
    nested: ['x [redacted]'],
    Authorization: '[redacted]',
    password: '[redacted]',
  });
  const error = r.redactValue(new Error('failed with my-very-plain-secret')) as Error;
  assert.equal(error.message, 'failed with [redacted]');
});

test('a log file written through the real logger never contains a token', async () => {
  const dir = tempDir('log');
  const path = join(dir, 'cloud-sync.log');
  const log = await createNodeLogger({ logPath: path, console: false });
  for (const [line] of LEAKS) log.info(line);
  log.error('refresh failed', { refresh_token: 'M.C105_BAY.-CYj7q-object', body: `Bearer ${JWT}` });
  await new Promise((r) => setTimeout(r, 50));
  const text = readFileSync(path, 'utf8');
  assert.match(text, /refresh failed/);
  for (const [, secret] of LEAKS) assert.ok(!text.includes(secret), `log leaked ${secret}`);
  assert.ok(!text.includes('M.C105_BAY.-CYj7q-object'));
});

test('the in-memory logger used by tests redacts like the real one', () => {
  const log = memoryLogger(new Redactor());
  log.warn(`token ${JWT}`);
  assert.equal(log.lines.length, 1);
  assert.ok(!log.lines[0]?.includes('eyJzdWIiOiJ1c2VyIn0'));
});
