import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { assertBucketMatchesDrive, listBucket } from './bucket.js';
import { Rig } from './rig.js';

function fill(rig: Rig, n = 10): void {
  for (let i = 0; i < n; i++) rig.sim.drive.addFile(`docs/f${i}.txt`, `file ${i}`);
  rig.sim.drive.addFile('keepme/x.txt', 'x');
}

test('delete policy "keep" leaves the objects of deleted files in the bucket', async (t) => {
  const rig = await Rig.start({ prefix: 'p/' });
  t.after(() => rig.close());
  fill(rig);
  await rig.round();
  rig.sim.drive.delete('docs/f1.txt');
  const summary = await rig.round();
  assert.equal(summary.deleted, 0);
  const keys = (await listBucket(rig.client, rig.s3.bucket)).map((o) => o.key);
  assert.ok(keys.includes('p/docs/f1.txt'));
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, {
    prefix: 'p/',
    ignore: ['p/docs/f1.txt'],
  });
});

test('delete policy "delete" removes the objects of deleted files and folders', async (t) => {
  const rig = await Rig.start({ prefix: 'p/', general: 'delete_policy = "delete"' });
  t.after(() => rig.close());
  fill(rig);
  await rig.round();
  rig.sim.drive.delete('docs/f1.txt');
  rig.sim.drive.delete('keepme');
  const summary = await rig.round();
  assert.equal(summary.deleted, 2);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: 'p/' });
});

test('delete policy "trash" moves deleted files under the dated trash prefix', async (t) => {
  const rig = await Rig.start({ prefix: 'p/', general: 'delete_policy = "trash"' });
  t.after(() => rig.close());
  fill(rig);
  await rig.round();
  rig.sim.drive.delete('docs/f2.txt');
  const summary = await rig.round();
  assert.equal(summary.trashed, 1);
  const trashed = (await listBucket(rig.client, rig.s3.bucket, '.trash/')).map((o) => o.key);
  assert.equal(trashed.length, 1);
  assert.match(trashed[0] as string, /^\.trash\/\d{4}-\d{2}-\d{2}\/docs\/f2\.txt$/);
  const head = await rig.client.send(
    new HeadObjectCommand({ Bucket: rig.s3.bucket, Key: trashed[0] }),
  );
  assert.ok(head.Metadata?.mtime, 'the trashed copy keeps its metadata');
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: 'p/' });
});

test('a round that would delete more than the guard allows deletes nothing until --allow-mass-delete', async (t) => {
  const rig = await Rig.start({ general: 'delete_policy = "delete"\nmax_delete = 5' });
  t.after(() => rig.close());
  fill(rig);
  await rig.round();
  for (let i = 0; i < 6; i++) rig.sim.drive.delete(`docs/f${i}.txt`);
  rig.sim.drive.addFile('new.txt', 'the rest of the round proceeds');
  const stopped = await rig.cli(['sync']);
  assert.equal(stopped.code, 1);
  assert.match(stopped.stdout, /stopped-mass-delete/);
  assert.match(stopped.stdout, /--allow-mass-delete/);
  const keys = (await listBucket(rig.client, rig.s3.bucket)).map((o) => o.key);
  assert.equal(keys.filter((k) => k.startsWith('docs/')).length, 10, 'nothing deleted');
  assert.ok(keys.includes('new.txt'));
  // A plain round asks again; the go-ahead deletes them.
  assert.equal((await rig.cli(['sync'])).code, 1);
  const allowed = await rig.cli(['sync', '--allow-mass-delete']);
  assert.equal(allowed.code, 0, allowed.stdout);
  assert.match(allowed.stdout, /deleted 6/);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('the share guard counts against the objects the store knows', async (t) => {
  const rig = await Rig.start({ general: 'delete_policy = "trash"\nmax_delete_share = 0.3' });
  t.after(() => rig.close());
  fill(rig, 9); // 10 objects with keepme/x.txt
  await rig.round();
  for (let i = 0; i < 4; i++) rig.sim.drive.delete(`docs/f${i}.txt`);
  const summary = await rig.round();
  assert.equal(summary.result, 'stopped-mass-delete');
  assert.equal(summary.trashed, 0);
  assert.ok(
    rig.events.some(
      (e) => e.type === 'mass-delete-stopped' && e.wouldDelete === 4 && e.limit === 3,
    ),
  );
});
