import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertBucketMatchesDrive } from './bucket.js';
import { MiB, Rig } from './rig.js';

/** A drive with the awkward cases: unicode, spaces, '#', '%', empty, multipart-sized, OneNote. */
function fillSampleDrive(rig: Rig): void {
  const d = rig.sim.drive;
  d.addFile('Documents/Report 2024 #1.txt', 'quarterly numbers');
  d.addFile('Documents/Sub dir/100% done.md', '# done');
  d.addFile('Documents/Sub dir/Deeper/Åsa – café ☕.json', '{"a":1}');
  d.addFile('Photos/日本/写真.jpg', Buffer.alloc(3000, 7));
  d.addFile('empty.txt', Buffer.alloc(0));
  d.addFile('Videos/big.mp4', { size: 7 * MiB + 123, seed: 'big' });
  d.addOneNote('Notebooks/My Notes');
}

test('a first round backs up nested folders with awkward names, an empty file and a multipart file, skipping OneNote', async (t) => {
  // Shuffled pages (children before parents, pages apart) and repeated items (last one wins).
  const rig = await Rig.start({
    prefix: 'onedrive/',
    sim: { pageSize: 3, shuffleSeed: 7, repeat: 3 },
  });
  t.after(() => rig.close());
  fillSampleDrive(rig);
  const summary = await rig.round();
  assert.equal(summary.result, 'ok', JSON.stringify(summary.failures));
  assert.equal(summary.uploaded, 6);
  assert.equal(summary.skipped, 1);
  assert.equal(summary.failed, 0);
  assert.ok((rig.counter.counts.UploadPart ?? 0) >= 2, 'the 7 MiB file went multipart');
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: 'onedrive/' });
});

test('an incremental round uploads what was added or edited and nothing else', async (t) => {
  const rig = await Rig.start({ sim: { pageSize: 4 } });
  t.after(() => rig.close());
  fillSampleDrive(rig);
  await rig.round();
  const big = rig.sim.drive.byPath('Videos/big.mp4')?.id as string;
  rig.sim.counters.reset();
  rig.sim.drive.addFile('Documents/new.txt', 'fresh');
  rig.sim.drive.editFile('Documents/Report 2024 #1.txt', 'revised numbers');
  const summary = await rig.round();
  assert.equal(summary.full, false);
  assert.equal(summary.uploaded, 2);
  assert.equal(summary.bytesDownloaded, 'fresh'.length + 'revised numbers'.length);
  assert.equal(rig.sim.counters.completeDownloads(big), 0);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});

test('a change of modification time alone rewrites metadata in place and downloads nothing', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  fillSampleDrive(rig);
  await rig.round();
  rig.sim.counters.reset();
  rig.counter.reset();
  rig.sim.drive.touch('Videos/big.mp4', '2025-03-04T05:06:07.1234567Z');
  const summary = await rig.round();
  assert.equal(summary.metadataRewritten, 1);
  assert.equal(summary.uploaded, 0);
  assert.equal(rig.sim.counters.bytesServed(), 0);
  assert.equal(rig.counter.counts.PutObject ?? 0, 0);
  assert.equal(rig.counter.counts.UploadPart ?? 0, 0);
  await assertBucketMatchesDrive(rig.client, rig.s3.bucket, rig.sim.drive, { prefix: '' });
});
