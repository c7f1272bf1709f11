import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3Target } from '../../src/core/s3/target.js';
import { StateStore } from '../../src/core/store/index.js';
import { SyncEngine } from '../../src/core/sync/engine.js';
import type { RoundSummary } from '../../src/shared/events.js';
import { assertBucketMatchesDrive, listBucket } from './bucket.js';
import { MiB, Rig } from './rig.js';

/** A round through the engine whose target copies objects over 6 MiB part by part. */
async function round(rig: Rig): Promise<RoundSummary> {
  const store = StateStore.open(rig.config.general.statePath);
  try {
    const target = new S3Target({
      client: rig.client,
      bucket: rig.config.aws.bucket,
      storageClass: 'STANDARD',
      multipartThresholdBytes: rig.config.aws.multipartThresholdBytes,
      partSizeBytes: 5 * MiB,
      copyPartThresholdBytes: 6 * MiB,
    });
    const engine = new SyncEngine({
      config: rig.config,
      store,
      source: rig.source(),
      target,
      tuning: { retryDelayMs: 1 },
    });
    return await engine.runRound();
  } finally {
    store.close();
  }
}

test('renaming files above the copy threshold copies them with UploadPartCopy and downloads nothing', async (t) => {
  const rig = await Rig.start({ prefix: 'pc/', general: 'delete_policy = "trash"' });
  t.after(() => rig.close());
  const d = rig.sim.drive;
  const big = d.addFile('Videos/Trip/clip.mp4', { size: 12 * MiB + 7, seed: 'clip' });
  d.addFile('Videos/Trip/notes.txt', 'notes');
  d.addFile('Videos/poster.png', { size: 8 * MiB + 1, seed: 'poster' });
  await round(rig);

  d.rename('Videos/Trip', 'Trip 2025'); // a folder: its big file moves with it
  d.rename('Videos/poster.png', 'poster (final).png');
  rig.sim.counters.reset();
  rig.counter.reset();
  const summary = await round(rig);

  assert.equal(summary.result, 'ok', JSON.stringify(summary.failures));
  assert.equal(summary.copied, 3);
  assert.equal(summary.uploaded, 0);
  assert.equal(rig.sim.counters.bytesServed(), 0, '0 bytes downloaded');
  const c = rig.counter.counts;
  assert.equal(c.UploadPart ?? 0, 0);
  assert.equal(c.PutObject ?? 0, 0);
  // 12 MiB → 3 parts, 8 MiB → 2, for the new keys and again for the trash copies of the old.
  assert.equal(c.UploadPartCopy, 2 * (3 + 2));
  assert.equal(c.CompleteMultipartUpload, 4);
  assert.equal(c.CopyObject, 2, 'notes.txt (small) by CopyObject, to its new key and the trash');
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, d, {
    prefix: 'pc/',
    ignore: ['.trash/'],
  });
  // The trashed old key kept its metadata through the part-by-part copy.
  const trashed = (await listBucket(rig.client, rig.s3.bucket, '.trash/')).map((o) => o.key);
  const clip = trashed.find((k) => k.endsWith('/Videos/Trip/clip.mp4'));
  assert.ok(clip, `trash holds the old clip: ${trashed.join(', ')}`);
  const head = await rig.client.send(new HeadObjectCommand({ Bucket: rig.s3.bucket, Key: clip }));
  assert.equal(Number(head.ContentLength), big.size);
  assert.equal(head.Metadata?.['onedrive-id'], big.id);
  assert.equal(head.ContentType, 'video/mp4');
});
