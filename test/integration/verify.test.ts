import assert from 'node:assert/strict';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { test } from 'node:test';
import type { VerifyReport } from '../../src/core/verify/verify.js';
import { assertBucketMatchesDrive } from './bucket.js';
import { Rig } from './rig.js';

test('verify lists the bucket (no HEAD per object), finds what differs, and --repair re-transfers it', async (t) => {
  const rig = await Rig.start({ prefix: 'od/' });
  t.after(() => rig.close());
  rig.sim.drive.addFile('a.txt', 'alpha');
  rig.sim.drive.addFile('Docs/b.txt', 'beta');
  rig.sim.drive.addFile('Docs/c.txt', 'gamma');
  assert.equal((await rig.cli(['sync'])).code, 0);

  rig.counter.reset();
  const clean = await rig.cli(['verify']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, /The bucket matches the state store\./);
  assert.deepEqual(rig.counter.counts, { ListObjectsV2: 1 });

  // Behind the product's back: one object lost, one truncated, one stranger added.
  const { client, bucket } = rig.s3;
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'od/a.txt' }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'od/Docs/b.txt', Body: 'be' }));
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'od/stranger.bin', Body: 'x' }));

  const broken = await rig.cli(['verify', '--json']);
  assert.equal(broken.code, 1);
  const report = JSON.parse(broken.stdout) as VerifyReport;
  assert.deepEqual(
    report.missing.map((m) => m.key),
    ['od/a.txt'],
  );
  assert.deepEqual(
    report.sizeMismatch.map((m) => [m.key, m.expected, m.actual]),
    [['od/Docs/b.txt', 4, 2]],
  );
  assert.deepEqual(report.unmapped, [{ key: 'od/stranger.bin', size: 1 }]);
  assert.equal(report.differences, 3);

  rig.sim.counters.reset();
  const repaired = await rig.cli(['verify', '--repair']);
  // The stranger is reported, never deleted: a backup does not guess.
  assert.equal(repaired.code, 1);
  assert.match(repaired.stdout, /no OneDrive item maps to them \(1\):\n {2}od\/stranger\.bin/);
  assert.equal(rig.sim.counters.completeDownloads(rig.sim.drive.byPath('a.txt')?.id), 1);
  assert.equal(rig.sim.counters.completeDownloads(rig.sim.drive.byPath('Docs/c.txt')?.id), 0);
  await assertBucketMatchesDrive(client, bucket, rig.sim.drive, {
    prefix: 'od/',
    ignore: ['od/stranger.bin'],
  });

  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'od/stranger.bin' }));
  assert.equal((await rig.cli(['verify'])).code, 0);
});

test('old keys that delete_policy = "keep" leaves after a rename are expected, not differences', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  rig.sim.drive.addFile('Photos/1.jpg', 'one');
  rig.sim.drive.addFile('Photos/2.jpg', 'two');
  assert.equal((await rig.cli(['sync'])).code, 0);
  rig.sim.drive.rename('Photos', 'Pictures');
  assert.equal((await rig.cli(['sync'])).code, 0);

  const run = await rig.cli(['verify', '--json']);
  assert.equal(run.code, 0, run.stdout);
  const report = JSON.parse(run.stdout) as VerifyReport;
  assert.equal(report.retained, 2);
  assert.equal(report.listed, 4);
});

test('verify before any round says to sync first', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  const run = await rig.cli(['verify']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /no state store .* yet; run `cloud-sync sync` first/);
});
