import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeadBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { countRequests, createS3Client } from '../../../src/core/s3/client.js';
import { ConfigError } from '../../../src/core/errors.js';
import { awsConfig, injectFaults } from './fixtures.js';
import { freshBucket } from '../../helpers/s3.js';

test('explicit keys are used when both are set, the default chain otherwise', async () => {
  const base = awsConfig('http://127.0.0.1:1', 'b');
  const explicit = createS3Client(base);
  assert.equal((await explicit.config.credentials()).accessKeyId, 'test');

  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = 'FROM_ENV_ID';
  process.env.AWS_SECRET_ACCESS_KEY = 'from-env-secret';
  try {
    const chain = createS3Client({ ...base, accessKeyId: undefined, secretAccessKey: undefined });
    assert.equal((await chain.config.credentials()).accessKeyId, 'FROM_ENV_ID');
  } finally {
    for (const [k, v] of [
      ['AWS_ACCESS_KEY_ID', saved.id],
      ['AWS_SECRET_ACCESS_KEY', saved.secret],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  assert.throws(
    () => createS3Client({ ...base, secretAccessKey: undefined }),
    (e: unknown) => e instanceof ConfigError && /secret_access_key is missing/.test(e.message),
  );
});

test('the SDK makes one attempt per request, leaving retries to the pacer', async () => {
  const { endpoint, bucket } = await freshBucket();
  const client = createS3Client(awsConfig(endpoint, bucket));
  injectFaults(client, () => ({ status: 503, code: 'SlowDown' }));
  const counter = countRequests(client);
  await assert.rejects(client.send(new ListObjectsV2Command({ Bucket: bucket })), {
    name: 'SlowDown',
  });
  assert.deepEqual(counter.counts, { ListObjectsV2: 1 });
});

test('requests carry a User-Agent naming the product', async () => {
  const { endpoint, bucket } = await freshBucket();
  const client = createS3Client(awsConfig(endpoint, bucket), { userAgent: 'cloud-sync/9.9.9' });
  let agent = '';
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      agent = `${headers['user-agent'] ?? ''} ${headers['x-amz-user-agent'] ?? ''}`;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'agentProbe' },
  );
  await client.send(new HeadBucketCommand({ Bucket: bucket }));
  assert.match(agent, /cloud-sync\/9\.9\.9/);
});

test('checksum headers follow AWS defaults on AWS and are kept to the required ones elsewhere', async () => {
  const aws = createS3Client({ ...awsConfig('x', 'b'), endpoint: undefined });
  const local = createS3Client(awsConfig('http://127.0.0.1:1', 'b'));
  assert.equal(await aws.config.requestChecksumCalculation(), 'WHEN_SUPPORTED');
  assert.equal(await local.config.requestChecksumCalculation(), 'WHEN_REQUIRED');
});

test('the request counter counts each request by operation until detached', async () => {
  const { endpoint, bucket } = await freshBucket();
  const client = createS3Client(awsConfig(endpoint, bucket));
  const counter = countRequests(client);
  await client.send(new HeadBucketCommand({ Bucket: bucket }));
  await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  assert.deepEqual(counter.counts, { HeadBucket: 1, ListObjectsV2: 2 });
  assert.equal(counter.total(), 3);
  counter.detach();
  await client.send(new HeadBucketCommand({ Bucket: bucket }));
  assert.equal(counter.total(), 3);
});
