import assert from 'node:assert/strict';
import { test } from 'node:test';
import { s3Endpoint } from '../helpers/s3.js';
import { assertBucketMatchesDrive, listBucket } from './bucket.js';
import { runAndKill, runToEnd, type KillPoint, type World } from './crash-kit.js';
import { Rig } from './rig.js';
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

test('a file renamed while the backup was down, after its upload reached S3 unrecorded, is moved to the trash', async (t) => {
  const w = await world(t, 'delete_policy = "trash"');
  w.rig.sim.drive.addFile('Docs/draft.txt', 'first draft');
  await killAfterApplied(w, 'PutObject');
  w.rig.sim.drive.rename('Docs/draft.txt', 'final.txt');
  await restartAndCheck(w);
  const trash = (await listBucket(w.rig.s3.client, w.rig.s3.bucket, '.trash/')).map((o) => o.key);
  assert.ok(
    trash.some((k) => k.endsWith('/Docs/draft.txt')),
    trash.join(', '),
  );
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
