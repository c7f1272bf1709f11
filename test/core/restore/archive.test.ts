import { HeadObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  expectedWait,
  parseRestoreHeader,
  restoreObjects,
} from '../../../src/core/restore/index.js';
import { freshBucket } from '../../helpers/s3.js';
import { tempDir } from '../../helpers/tmp.js';
import { put } from './helpers.js';

test('an archived object is reported pending with its expected wait while the others restore', async () => {
  const { client, bucket } = await freshBucket();
  await put(client, bucket, 'cold/g.txt', 'glacier', {
    storageClass: 'GLACIER',
    mtime: '1700000000',
  });
  await put(client, bucket, 'cold/d.txt', 'deep', { storageClass: 'DEEP_ARCHIVE' });
  await put(client, bucket, 'warm.txt', 'warm');
  const to = tempDir();

  const first = await restoreObjects({ client, bucket, prefix: '', to, tier: 'Expedited' });

  assert.equal(first.restored, 1);
  assert.equal(readFileSync(join(to, 'warm.txt'), 'utf8'), 'warm');
  assert.ok(!existsSync(join(to, 'cold')), 'nothing is written for a pending object');
  assert.deepEqual(
    first.pending.map(({ key, storageClass, tier, wait, requestedNow }) => ({
      key,
      storageClass,
      tier,
      wait,
      requestedNow,
    })),
    [
      // Expedited does not exist for Deep Archive: Standard is asked for instead.
      {
        key: 'cold/d.txt',
        storageClass: 'DEEP_ARCHIVE',
        tier: 'Standard',
        wait: 'up to 12 hours',
        requestedNow: true,
      },
      {
        key: 'cold/g.txt',
        storageClass: 'GLACIER',
        tier: 'Expedited',
        wait: '1–5 minutes',
        requestedNow: true,
      },
    ],
  );
  // The restore request reached S3. moto thaws an object at once (ongoing-request="false"
  // right away); real S3 says ongoing-request="true" for minutes to hours.
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cold/g.txt' }));
  assert.match(head.Restore ?? '', /ongoing-request="false"/);

  const later = await restoreObjects({ client, bucket, prefix: '', to });
  assert.equal(later.restored, 2);
  assert.deepEqual(later.pending, []);
  assert.deepEqual(
    later.skipped.map((s) => s.key),
    ['warm.txt'],
  );
  assert.equal(readFileSync(join(to, 'cold/g.txt'), 'utf8'), 'glacier');
  assert.equal(readFileSync(join(to, 'cold/d.txt'), 'utf8'), 'deep');
});

test('the x-amz-restore header tells archived, in progress and downloadable apart', () => {
  assert.equal(parseRestoreHeader(undefined), 'archived');
  assert.equal(parseRestoreHeader('ongoing-request="true"'), 'in-progress');
  assert.equal(
    parseRestoreHeader('ongoing-request="false", expiry-date="Fri, 21 Dec 2012 00:00:00 GMT"'),
    'available',
  );
});

test('expected waits follow AWS’s retrieval times per class and tier', () => {
  assert.equal(expectedWait('GLACIER', 'Standard'), '3–5 hours');
  assert.equal(expectedWait('GLACIER', 'Bulk'), '5–12 hours');
  assert.equal(expectedWait('DEEP_ARCHIVE', 'Bulk'), 'up to 48 hours');
  assert.equal(expectedWait('DEEP_ARCHIVE', 'Expedited'), 'up to 12 hours');
});
