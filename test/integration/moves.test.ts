import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertBucketMatchesDrive, listBucket } from './bucket.js';
import { MiB, Rig } from './rig.js';

function fill(rig: Rig): void {
  const d = rig.sim.drive;
  d.addFile('Projects/Alpha/notes.txt', 'notes');
  d.addFile('Projects/Alpha/deep/er/plan.md', 'plan');
  d.addFile('Projects/Alpha/video.mp4', { size: 6 * MiB + 1, seed: 'v' });
  d.addFile('Projects/readme.txt', 'readme');
}

test('renaming a folder copies its files server-side and downloads nothing', async (t) => {
  const rig = await Rig.start({ general: 'delete_policy = "delete"' });
  t.after(() => rig.close());
  fill(rig);
  await rig.round();
  rig.sim.counters.reset();
  rig.counter.reset();
  rig.sim.drive.rename('Projects/Alpha', 'Alpha (2025)');
  const summary = await rig.round();
  assert.equal(summary.copied, 3);
  assert.equal(summary.uploaded, 0);
  assert.equal(summary.deleted, 0, 'retiring old keys is not counted as deleting');
  assert.equal(rig.sim.counters.bytesServed(), 0);
  assert.equal(rig.counter.counts.PutObject ?? 0, 0);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('moving a folder elsewhere with the keep policy leaves the old keys and adds the new ones by copy', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  fill(rig);
  rig.sim.drive.addFolder('Archive');
  await rig.round();
  rig.sim.counters.reset();
  rig.sim.drive.move('Projects/Alpha', 'Archive');
  const summary = await rig.round();
  assert.equal(summary.copied, 3);
  assert.equal(rig.sim.counters.bytesServed(), 0);
  const keys = (await listBucket(rig.client, rig.s3.bucket)).map((o) => o.key);
  assert.ok(keys.includes('Projects/Alpha/notes.txt'), 'keep: the old key stays');
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, {
    prefix: '',
    ignore: ['Projects/Alpha/'],
  });
});

test('a copy whose source object vanished falls back to uploading from OneDrive', async (t) => {
  const rig = await Rig.start({ general: 'delete_policy = "delete"' });
  t.after(() => rig.close());
  fill(rig);
  await rig.round();
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  await rig.client.send(
    new DeleteObjectCommand({ Bucket: rig.s3.bucket, Key: 'Projects/readme.txt' }),
  );
  rig.sim.drive.rename('Projects/readme.txt', 'read me.txt');
  const summary = await rig.round();
  assert.equal(summary.result, 'ok', JSON.stringify(summary.failures));
  assert.equal(summary.uploaded, 1);
  assert.equal(summary.copied, 0);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});
