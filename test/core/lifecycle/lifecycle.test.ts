import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BucketLifecycle,
  formatLifecycle,
  planLifecycle,
  recommendedRules,
  sameRule,
} from '../../../src/core/lifecycle/index.js';
import { s3Failure } from '../../../src/core/restore/errors.js';
import { freshBucket } from '../../helpers/s3.js';

const userRule: LifecycleRule = {
  ID: 'my-logs-expire',
  Status: 'Enabled',
  Filter: { Prefix: 'logs/' },
  Expiration: { Days: 3 },
};

test('recommended rules abort stale multipart uploads, archive, and expire old versions, all under the prefix', () => {
  const rules = recommendedRules({
    prefix: 'onedrive/',
    storageClass: 'STANDARD',
    versioned: true,
  });
  assert.deepEqual(
    rules.map((r) => [r.ID, r.Filter?.Prefix]),
    [
      ['cloud-sync-abort-multipart:onedrive/', 'onedrive/'],
      ['cloud-sync-archive:onedrive/', 'onedrive/'],
      ['cloud-sync-noncurrent-versions:onedrive/', 'onedrive/'],
    ],
  );
  assert.equal(rules[0]?.AbortIncompleteMultipartUpload?.DaysAfterInitiation, 7);
  assert.deepEqual(rules[1]?.Transitions, [{ Days: 30, StorageClass: 'DEEP_ARCHIVE' }]);
  assert.equal(rules[2]?.NoncurrentVersionExpiration?.NoncurrentDays, 180);

  const plain = recommendedRules({
    prefix: '',
    storageClass: 'DEEP_ARCHIVE',
    versioned: false,
    archiveAfterDays: 90,
  });
  assert.deepEqual(
    plain.map((r) => r.ID),
    ['cloud-sync-abort-multipart'],
  );
});

test('applying merges our rules beside the user’s, and a second apply changes nothing', async () => {
  const { client, bucket } = await freshBucket({ versioned: true });
  await client.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: [userRule] },
    }),
  );
  const lifecycle = new BucketLifecycle(client, bucket);
  const state = await lifecycle.read();
  assert.equal(state.versioning, 'Enabled');
  const policy = { prefix: 'b/', storageClass: 'STANDARD' as const, versioned: true };
  const plan = planLifecycle(state.rules, recommendedRules(policy));
  assert.deepEqual(
    plan.changes.map((c) => c.action),
    ['add', 'add', 'add'],
  );
  await lifecycle.write(plan.merged, state);

  const stored = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
  assert.deepEqual(
    stored.Rules?.map((r) => r.ID),
    [
      'my-logs-expire',
      'cloud-sync-abort-multipart:b/',
      'cloud-sync-archive:b/',
      'cloud-sync-noncurrent-versions:b/',
    ],
  );
  const kept = stored.Rules?.[0];
  assert.ok(kept && sameRule(kept, userRule), 'the user rule is untouched');

  const again = planLifecycle((await lifecycle.read()).rules, recommendedRules(policy));
  assert.equal(again.changed, false);
  assert.match(
    formatLifecycle({ bucket, prefix: 'b/', versioning: 'Enabled', plan: again }),
    /already has every recommended rule/,
  );
});

test('a rule of ours with other settings is replaced, shown as before and after', () => {
  const old: LifecycleRule = {
    ID: 'cloud-sync-archive',
    Status: 'Enabled',
    Prefix: '', // the legacy top-level form some buckets still answer with
    Transitions: [{ Days: 60, StorageClass: 'DEEP_ARCHIVE' }],
  };
  const plan = planLifecycle(
    [userRule, old],
    recommendedRules({ prefix: '', storageClass: 'STANDARD', versioned: false }),
  );
  assert.deepEqual(
    plan.changes.map((c) => [c.id, c.action]),
    [
      ['cloud-sync-abort-multipart', 'add'],
      ['cloud-sync-archive', 'update'],
    ],
  );
  assert.deepEqual(
    plan.merged.map((r) => r.ID),
    ['my-logs-expire', 'cloud-sync-archive', 'cloud-sync-abort-multipart'],
  );
  const text = formatLifecycle({ bucket: 'bk', prefix: '', versioning: 'off', plan });
  assert.match(text, /- cloud-sync-archive\s+prefix "": move to DEEP_ARCHIVE after 60 days/);
  assert.match(text, /\+ cloud-sync-archive\s+prefix "": move to DEEP_ARCHIVE after 30 days/);
  assert.match(text, /my-logs-expire\s+prefix "logs\/": delete after 3 days/);
  assert.ok(sameRule(old, { ...old, Prefix: undefined, Filter: { Prefix: '' } }));
});

test('a bucket without lifecycle rules reads as no rules, not as an error', async () => {
  const { client, bucket } = await freshBucket();
  const state = await new BucketLifecycle(client, bucket).read();
  assert.deepEqual(state.rules, []);
  assert.equal(state.versioning, undefined);
});

test('a refused lifecycle call names the IAM permission to add', () => {
  // The shape the SDK throws for a 403 (a plain value here: no IAM in the local S3 server).
  const denied = Object.assign(new Error('Access Denied'), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });
  const error = s3Failure(denied, {
    op: 'PutBucketLifecycleConfiguration',
    permission: 's3:PutLifecycleConfiguration',
    bucket: 'bk',
    deniedIsFatal: true,
  }) as Error & { kind: string; hint: string };
  assert.equal(error.kind, 'fatal');
  assert.match(error.message, /lack s3:PutLifecycleConfiguration on arn:aws:s3:::bk/);
  assert.match(error.hint, /s3:PutLifecycleConfiguration/);
});
