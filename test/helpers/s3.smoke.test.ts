import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { freshBucket } from './s3.js';

test('each test gets its own bucket on the real local S3 server', async () => {
  const a = await freshBucket();
  const b = await freshBucket();
  assert.notEqual(a.bucket, b.bucket);
  const head = await a.client.send(new HeadBucketCommand({ Bucket: a.bucket }));
  assert.equal(head.$metadata.httpStatusCode, 200);
});
