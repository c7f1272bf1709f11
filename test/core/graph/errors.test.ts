import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthError } from '../../../src/core/errors.js';
import {
  ResyncRequiredError,
  classifyGraphError,
  graphVerdict,
  readFailureBody,
} from '../../../src/core/graph/errors.js';

test('throttling carries the server’s pause so the pacer can stop every caller', () => {
  const e = classifyGraphError({ status: 429, context: 'delta', retryAfterMs: 7000 });
  assert.equal(e.kind, 'retryable');
  assert.equal(e.retryAfterSeconds, 7);
  assert.deepEqual(graphVerdict(e), { retry: true, retryAfterMs: 7000 });
  const plain = classifyGraphError({ status: 503, context: 'content' });
  assert.deepEqual(graphVerdict(plain), { retry: true });
});

test('each status means what the caller should do next', () => {
  assert.ok(classifyGraphError({ status: 410, context: 'delta' }) instanceof ResyncRequiredError);
  assert.ok(classifyGraphError({ status: 401, context: 'delta' }) instanceof AuthError);
  const denied = classifyGraphError({ status: 403, context: 'delta' });
  assert.equal(denied.kind, 'fatal');
  assert.ok(denied.hint);
  assert.equal(classifyGraphError({ status: 403, context: 'content' }).kind, 'item');
  assert.equal(classifyGraphError({ status: 404, context: 'content' }).code, 'item-not-found');
  assert.equal(
    classifyGraphError({ status: 403, context: 'download' }).code,
    'download-url-expired',
  );
  assert.equal(classifyGraphError({ status: 504, context: 'download' }).kind, 'retryable');
});

test('a resync or an expired link is never retried as is', () => {
  assert.deepEqual(graphVerdict(new ResyncRequiredError('resyncRequired', undefined)), {
    retry: false,
  });
  const expired = classifyGraphError({ status: 401, context: 'download' });
  assert.deepEqual(graphVerdict(expired), { retry: false });
});

test('the specific resync code is read even when Graph nests it under a generic one', async () => {
  const nested = new Response(
    JSON.stringify({
      error: { code: 'resyncRequired', innerError: { code: 'resyncChangesApplyDifferences' } },
    }),
  );
  assert.deepEqual(await readFailureBody(nested), { graphCode: 'resyncChangesApplyDifferences' });
  assert.deepEqual(await readFailureBody(new Response('<html>oops</html>')), {});
});
