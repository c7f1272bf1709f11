import assert from 'node:assert/strict';
import { test } from 'node:test';
import { s3Endpoint } from '../helpers/s3.js';
import { assertBucketMatchesDrive, listBucket } from './bucket.js';
import { openUploads, runAndKill, runToEnd, type KillPoint, type World } from './crash-kit.js';
import { MiB, Rig } from './rig.js';
import { startS3Proxy } from './s3-proxy.js';

async function world(t: { after(fn: () => unknown): void }, general: string): Promise<World> {
  const proxy = await startS3Proxy(await s3Endpoint());
  t.after(() => proxy.close());
  const rig = await Rig.start({ prefix: 'd/', general, s3Endpoint: proxy.endpoint });
  t.after(() => rig.close());
  for (let i = 0; i < 4; i++) rig.sim.drive.addFile(`Docs/file ${i}.txt`, `file ${i}`);
  assert.equal((await rig.cli(['sync'])).code, 0);
  return { rig, proxy };
}

/** Kills the CLI once S3 carried out the request but before the answer came back. */
async function killAfterApplied(w: World, op: 'PutObject' | 'CopyObject'): Promise<void> {
  const point: KillPoint = { kind: 's3', op, n: 1, applied: true };
  const run = await runAndKill(w, point, 0);
  assert.equal(run.killed, true, `killed after ${op}: ${run.stdout}${run.stderr}`);
}

/** The restart runs to the end, verify finds nothing amiss, and the mirror is exact. */
async function restartAndCheck(w: World): Promise<void> {
  const { rig } = w;
  const done = await runToEnd(rig);
  assert.equal(done.code, 0, done.stdout + done.stderr);
  const verify = await rig.cli(['verify']);
  assert.equal(verify.code, 0, verify.stdout);
  await assertBucketMatchesDrive(rig.s3.client, rig.s3.bucket, rig.sim.drive, { prefix: 'd/' });
}

test('a file renamed again while the backup was down, after its copy reached S3 unrecorded, leaves no stray object', async (t) => {
  const w = await world(t, 'delete_policy = "delete"');
  w.rig.sim.drive.rename('Docs/file 1.txt', 'renamed once.txt');
  await killAfterApplied(w, 'CopyObject');
  w.rig.sim.drive.rename('Docs/renamed once.txt', 'renamed twice.txt');
  await restartAndCheck(w);
});

test('a file deleted while the backup was down, after its upload reached S3 unrecorded, leaves no stray object', async (t) => {
  const w = await world(t, 'delete_policy = "delete"');
  w.rig.sim.drive.addFile('Docs/brief.txt', 'here briefly');
  await killAfterApplied(w, 'PutObject');
  w.rig.sim.drive.delete('Docs/brief.txt');
  await restartAndCheck(w);
});

test('a file renamed while the backup was down, after its upload reached S3 unrecorded, is copied from there, not downloaded again', async (t) => {
  const w = await world(t, 'delete_policy = "trash"');
  const draft = w.rig.sim.drive.addFile('Docs/draft.txt', 'first draft');
  await killAfterApplied(w, 'PutObject');
  w.rig.sim.drive.rename('Docs/draft.txt', 'final.txt');
  await restartAndCheck(w);
  assert.equal(w.rig.sim.counters.completeDownloads(draft.id), 1);
  const trash = (await listBucket(w.rig.s3.client, w.rig.s3.bucket, '.trash/')).map((o) => o.key);
  assert.ok(
    trash.some((k) => k.endsWith('/Docs/draft.txt')),
    trash.join(', '),
  );
});

test('an upload that reached S3 unrecorded, its file listed again unchanged before the restart, is recorded without downloading again', async (t) => {
  const w = await world(t, 'delete_policy = "delete"');
  const file = w.rig.sim.drive.addFile('Docs/again.txt', 'listed twice');
  await killAfterApplied(w, 'PutObject');
  // Reported again by the feed with the same content and time (OneDrive re-lists items).
  w.rig.sim.drive.editFile('Docs/again.txt', 'listed twice', { mtime: file.mtime });
  await restartAndCheck(w);
  assert.equal(w.rig.sim.counters.completeDownloads(file.id), 1);
});

test('an edit whose upload reached S3 unrecorded, renamed while down, is copied from its old key', async (t) => {
  const w = await world(t, 'delete_policy = "delete"');
  const file = w.rig.sim.drive.editFile('Docs/file 3.txt', { size: 70_000, seed: 'edit' });
  const before = w.rig.sim.counters.completeDownloads(file.id);
  await killAfterApplied(w, 'PutObject');
  w.rig.sim.drive.rename('Docs/file 3.txt', 'three.txt');
  await restartAndCheck(w);
  assert.equal(w.rig.sim.counters.completeDownloads(file.id), before + 1, 'downloaded once');
});

test('an edit whose upload reached S3 unrecorded, undone while down, is uploaded again: the bucket holds the restored bytes', async (t) => {
  const w = await world(t, 'delete_policy = "delete"');
  const d = w.rig.sim.drive;
  d.editFile('Docs/file 0.txt', 'a new version of file 0');
  await killAfterApplied(w, 'PutObject');
  d.editFile('Docs/file 0.txt', 'file 0'); // a previous version restored: the original bytes
  await restartAndCheck(w);
});

test('a file being uploaded in parts and deleted while the backup was down leaves no multipart upload open', async (t) => {
  const w = await world(t, '');
  const big = w.rig.sim.drive.addFile('Docs/big.bin', { size: 20 * MiB, seed: 'big' });
  const point: KillPoint = {
    kind: 'mid-body',
    path: big.path,
    itemId: big.id,
    bytes: 9 * MiB,
    parts: 1,
  };
  assert.equal((await runAndKill(w, point, 0)).killed, true);
  assert.equal((await openUploads(w.rig)).length, 1);
  w.rig.sim.drive.delete('Docs/big.bin');
  await restartAndCheck(w);
  assert.deepEqual(await openUploads(w.rig), []);
});

test('a deleted file whose last edit reached S3 unrecorded is kept by "keep" without verify seeing a difference', async (t) => {
  const w = await world(t, '');
  w.rig.sim.drive.editFile('Docs/file 1.txt', 'file 1, longer than it was');
  await killAfterApplied(w, 'PutObject');
  w.rig.sim.drive.delete('Docs/file 1.txt');
  const { rig } = w;
  const done = await runToEnd(rig);
  assert.equal(done.code, 0, done.stdout + done.stderr);
  const verify = await rig.cli(['verify']);
  assert.equal(verify.code, 0, verify.stdout);
  const keys = (await listBucket(rig.s3.client, rig.s3.bucket, 'd/')).map((o) => o.key);
  assert.ok(keys.includes('d/Docs/file 1.txt'), 'keep: the object stays');
});

test('with delete policy "keep" the stray object of an unrecorded write stays, and verify expects it', async (t) => {
  const w = await world(t, '');
  w.rig.sim.drive.rename('Docs/file 2.txt', 'was two.txt');
  await killAfterApplied(w, 'CopyObject');
  w.rig.sim.drive.rename('Docs/was two.txt', 'is two.txt');
  const { rig } = w;
  const done = await runToEnd(rig);
  assert.equal(done.code, 0, done.stdout + done.stderr);
  const verify = await rig.cli(['verify']);
  assert.equal(verify.code, 0, verify.stdout);
  await assertBucketMatchesDrive(rig.s3.client, rig.s3.bucket, rig.sim.drive, {
    prefix: 'd/',
    ignore: ['d/Docs/file 2.txt', 'd/Docs/was two.txt'],
  });
});
