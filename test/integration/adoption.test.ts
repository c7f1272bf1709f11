import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { assertBucketMatchesDrive } from './bucket.js';
import { Rig } from './rig.js';

/** What the original tool wrote: key = path, `mtime` = integer seconds, no id, no hash. */
async function putLikeOriginal(rig: Rig, path: string, body: Buffer | string, seconds: number) {
  await rig.s3.client.send(
    new PutObjectCommand({
      Bucket: rig.s3.bucket,
      Key: path,
      Body: Buffer.from(body),
      Metadata: { mtime: String(seconds) },
    }),
  );
}

const secondsOf = (iso: string) => Math.floor(Date.parse(iso) / 1000);

test("a bucket filled by the original tool is adopted without uploading, and gets this product's metadata in place", async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  const d = rig.sim.drive;
  const a = d.addFile('Docs/a.txt', 'alpha', { mtime: '2023-01-02T03:04:05.678Z' });
  const b = d.addFile('Docs/Sub/b b.txt', 'bravo', { mtime: '2020-06-07T08:09:10Z' });
  const c = d.addFile('changed.txt', 'new content');
  const e = d.addFile('empty.txt', Buffer.alloc(0));
  // a: client time; b: the server's lastModifiedDateTime (the original used either).
  await putLikeOriginal(rig, 'Docs/a.txt', 'alpha', secondsOf(a.mtime));
  const serverTime = d.raw(b.id)?.modified as string;
  assert.notEqual(secondsOf(serverTime), secondsOf(b.mtime));
  await putLikeOriginal(rig, 'Docs/Sub/b b.txt', 'bravo', secondsOf(serverTime));
  await putLikeOriginal(rig, 'changed.txt', 'old', secondsOf(c.mtime)); // size differs
  await putLikeOriginal(rig, 'empty.txt', '', secondsOf(e.mtime));
  rig.counter.reset();
  const summary = await rig.round();
  assert.equal(summary.result, 'ok', JSON.stringify(summary.failures));
  assert.equal(summary.adopted, 3);
  assert.equal(summary.uploaded, 1);
  assert.equal(rig.sim.counters.completeDownloads(a.id), 0);
  assert.equal(rig.sim.counters.completeDownloads(b.id), 0);
  assert.equal(rig.counter.counts.ListObjectsV2, 1, 'one listing, not a HEAD per item');
  assert.equal(rig.counter.counts.HeadObject, 3, 'HEAD only for keys of the same size');
  assert.equal(rig.counter.counts.PutObject, 1);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, d, { prefix: '' });
});

test('after losing the state store, the objects this product wrote are adopted with no transfer at all', async (t) => {
  const rig = await Rig.start({ prefix: 'od/' });
  t.after(() => rig.close());
  rig.sim.drive.addFile('x/one.txt', 'one');
  rig.sim.drive.addFile('x/two.txt', 'two');
  await rig.round();
  const { rmSync } = await import('node:fs');
  for (const f of ['', '-wal', '-shm'])
    rmSync(`${rig.config.general.statePath}${f}`, { force: true });
  rig.sim.counters.reset();
  rig.counter.reset();
  const summary = await rig.round();
  assert.equal(summary.adopted, 2);
  assert.equal(summary.uploaded, 0);
  assert.equal(rig.sim.counters.bytesServed(), 0);
  assert.equal(rig.counter.counts.CopyObject ?? 0, 0, 'metadata already ours: nothing rewritten');
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: 'od/' });
});

test("the original tool's objects already in Deep Archive are adopted as they are: no copy, no download, no upload", async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  const d = rig.sim.drive;
  const old = d.addFile('Archive/2019.pdf', 'frozen bytes', { mtime: '2019-05-06T07:08:09Z' });
  await rig.s3.client.send(
    new PutObjectCommand({
      Bucket: rig.s3.bucket,
      Key: 'Archive/2019.pdf',
      Body: Buffer.from('frozen bytes'),
      Metadata: { mtime: String(secondsOf(old.mtime)) },
      StorageClass: 'DEEP_ARCHIVE',
    }),
  );
  rig.counter.reset();
  const first = await rig.round();
  assert.equal(first.result, 'ok', JSON.stringify(first.failures));
  assert.equal(first.adopted, 1);
  assert.equal(rig.counter.counts.CopyObject ?? 0, 0, 'a copy of an archived object would fail');
  assert.equal(rig.counter.counts.PutObject ?? 0, 0);
  // And the next round has nothing left to do with it.
  const second = await rig.round();
  assert.equal(second.uploaded + second.failed, 0);
  assert.equal(rig.sim.counters.completeDownloads(old.id), 0);
});
