import assert from 'node:assert/strict';
import { test } from 'node:test';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { toS3Error, type S3Error, type S3Op } from '../../../src/core/s3/errors.js';
import { SyncError } from '../../../src/core/errors.js';
import { classifySyncError, Pacer } from '../../../src/core/net/pacer.js';
import { FakeClock, flush } from '../../helpers/clock.js';
import { injectFaults, setup } from './fixtures.js';

function s3Failure(name: string, status: number, headers?: Record<string, string>): Error {
  const error = new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
  if (headers) Object.assign(error, { $response: { statusCode: status, headers } });
  return error;
}

const classify = (error: unknown, op: S3Op = 'PutObject') =>
  toS3Error(error, { op, bucket: 'my-bucket', key: 'a/b.txt' }) as S3Error;

test('throttling, server errors and dropped connections are retryable', () => {
  for (const [error, code] of [
    [s3Failure('SlowDown', 503), 's3-throttled'],
    [s3Failure('ServiceUnavailable', 503), 's3-throttled'],
    [s3Failure('InternalError', 500), 's3-unavailable'],
    [s3Failure('RequestTimeout', 400), 's3-unavailable'],
    [s3Failure('RequestTimeTooSkewed', 403), 'clock-skew'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'network'],
    [Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' }), 'network'],
  ] as const) {
    const c = classify(error);
    assert.equal(c.kind, 'retryable', c.message);
    assert.equal(c.code, code, c.message);
    assert.equal(c.cause, error);
  }
});

test('a Retry-After on a throttled answer becomes the pause the pacer imposes', () => {
  const c = classify(s3Failure('SlowDown', 503, { 'retry-after': '7' }));
  assert.equal(c.retryAfterSeconds, 7);
  assert.deepEqual(classifySyncError(c), { retry: true, retryAfterMs: 7000 });
});

test('a missing bucket, refused credentials and denied permissions are fatal with a hint to act on', () => {
  const missing = classify(s3Failure('NoSuchBucket', 404));
  assert.equal(missing.kind, 'fatal');
  assert.equal(missing.code, 'bucket-missing');
  assert.match(missing.hint ?? '', /"my-bucket".*\[aws\] bucket/);

  const denied = classify(s3Failure('AccessDenied', 403), 'DeleteObjects');
  assert.equal(denied.kind, 'fatal');
  assert.match(denied.hint ?? '', /s3:DeleteObject on arn:aws:s3:::my-bucket\/\*/);
  assert.match(classify(s3Failure('AccessDenied', 403), 'UploadPart').hint ?? '', /s3:PutObject/);
  assert.match(
    (
      toS3Error(s3Failure('AccessDenied', 403), {
        op: 'PutObject',
        bucket: 'b',
        kms: true,
      }) as S3Error
    ).hint ?? '',
    /kms:GenerateDataKey/,
  );

  const key = classify(s3Failure('InvalidAccessKeyId', 403));
  assert.equal(key.kind, 'fatal');
  assert.match(key.hint ?? '', /access_key_id/);
  const secret = classify(s3Failure('SignatureDoesNotMatch', 403));
  assert.equal(secret.kind, 'fatal');
  assert.match(secret.hint ?? '', /secret_access_key/);
  assert.equal(classify(s3Failure('PermanentRedirect', 301)).code, 'wrong-region');
});

test('other S3 errors fail only the item, and a missing key is recognisable as not-found', () => {
  const gone = classify(s3Failure('NoSuchKey', 404), 'CopyObject');
  assert.equal(gone.kind, 'item');
  assert.equal(gone.code, 'not-found');
  assert.equal(gone.s3Code, 'NoSuchKey');
  const big = classify(s3Failure('EntityTooLarge', 400));
  assert.equal(big.kind, 'item');
  assert.match(big.message, /PutObject "a\/b.txt" in bucket "my-bucket" failed \(EntityTooLarge/);
});

test('cancellation and already-classified errors pass through unchanged', () => {
  const abort = new DOMException('stopped', 'AbortError');
  assert.equal(toS3Error(abort, { op: 'PutObject', bucket: 'b' }), abort);
  const own = new SyncError('item', 'x', { code: 'y' });
  assert.equal(toS3Error(own, { op: 'PutObject', bucket: 'b' }), own);
});

test('credentials in a failure message never reach our message', () => {
  const leaky = new Error(
    'failed https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIAEXAMPLE%2F20260101&X-Amz-Signature=deadbeef00',
  );
  const c = classify(leaky);
  assert.doesNotMatch(c.message, /AKIAEXAMPLE|deadbeef00/);
});

test('a Retry-After from S3 pauses the pacer for that long before the request is repeated', async () => {
  const clock = new FakeClock();
  const pacer = new Pacer({ service: 's3', clock, random: () => 0 });
  const { target, client } = await setup({ pacer });
  let faults = 0;
  injectFaults(client, (op) =>
    op === 'HeadObject' && faults++ === 0
      ? { status: 503, code: 'SlowDown', headers: { 'retry-after': '3' } }
      : undefined,
  );
  let settled = false;
  const head = target.head('nothing').finally(() => (settled = true));
  while (pacer.stats.throttles === 0) await flush();
  assert.equal(pacer.stats.pausedUntil, clock.now() + 3000);
  await clock.advance(2999);
  assert.equal(settled, false);
  assert.equal(faults, 1);
  await clock.advance(1);
  assert.equal(await head, undefined);
  assert.equal(faults, 2);
});
