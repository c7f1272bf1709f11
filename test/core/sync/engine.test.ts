import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SyncError } from '../../../src/core/errors.js';
import { getCursor } from '../../../src/core/store/cursor.js';
import { all } from '../../../src/core/store/queue.js';
import { folder, root, ROOT_ID } from './drive-items.js';
import { ScriptedSource } from './fake-source.js';
import { engineRig } from './harness.js';

async function keys(rig: Awaited<ReturnType<typeof engineRig>>): Promise<string[]> {
  const res = await rig.s3.client.send(new ListObjectsV2Command({ Bucket: rig.s3.bucket }));
  return (res.Contents ?? []).map((o) => o.Key as string).sort();
}

test('a first round uploads each file with its metadata; an unchanged second round moves nothing', async () => {
  const src = new ScriptedSource();
  const a = src.file('A', 'F', 'a.txt', 'alpha');
  src.queueFeed([a], [root(), folder('F', ROOT_ID, 'Docs')]);
  const rig = await engineRig(src, { prefix: 'od/' });
  const first = await rig.engine.runRound();
  assert.equal(first.result, 'ok');
  assert.equal(first.uploaded, 1);
  assert.equal(first.full, true);
  assert.deepEqual(await keys(rig), ['od/Docs/a.txt']);
  const head = await rig.s3.client.send(
    new HeadObjectCommand({ Bucket: rig.s3.bucket, Key: 'od/Docs/a.txt' }),
  );
  assert.equal(head.Metadata?.mtime, '1714558830.5');
  assert.equal(head.Metadata?.['onedrive-id'], 'A');
  assert.equal(head.ContentType, 'text/plain');
  const link = JSON.parse(readFileSync(rig.config.onedrive.deltaLinkPath, 'utf8'));
  assert.equal(link.data_delta_link, 'delta:0');

  src.queueFeed([root(), folder('F', ROOT_ID, 'Docs'), a]);
  const second = await rig.engine.runRound();
  assert.equal(second.full, false);
  assert.equal(second.uploaded, 0);
  assert.equal(second.unchanged, 1);
  assert.equal(src.downloads, 1);
});

test('a retryable failure is retried within the round; an item failure fails only that item until the next round', async () => {
  const src = new ScriptedSource();
  const a = src.file('A', ROOT_ID, 'a.txt', 'alpha');
  const b = src.file('B', ROOT_ID, 'b.txt', 'bravo');
  src.queueFeed([root(), a, b]);
  src.failDownloads.set('A', {
    error: new SyncError('retryable', 'blip', { code: 'network' }),
    times: 1,
  });
  src.failDownloads.set('B', {
    error: new SyncError('item', 'refused', { code: 'graph-item', hint: 'look' }),
    times: 1,
  });
  const rig = await engineRig(src);
  const first = await rig.engine.runRound();
  assert.equal(first.result, 'partial');
  assert.equal(first.uploaded, 1);
  assert.equal(first.failed, 1);
  assert.deepEqual(
    first.failures.map((f) => [f.path, f.code, f.hint]),
    [['b.txt', 'graph-item', 'look']],
  );
  assert.ok(
    rig.events.some((e) => e.type === 'item-error' && e.willRetry && e.failure.path === 'a.txt'),
  );
  // Nothing new in the feed: the failed item is planned again anyway.
  src.queueFeed([]);
  const second = await rig.engine.runRound();
  assert.equal(second.result, 'ok');
  assert.equal(second.uploaded, 1);
  assert.deepEqual(await keys(rig), ['a.txt', 'b.txt']);
  assert.deepEqual(all(rig.store.db), []);
});

test('events tell the whole round: phases, progress with bytes, each item, and the summary', async () => {
  const src = new ScriptedSource();
  src.queueFeed([root(), src.file('A', ROOT_ID, 'a.txt', 'x'.repeat(1000))]);
  const rig = await engineRig(src);
  await rig.engine.runRound();
  const phases = rig.events.flatMap((e) => (e.type === 'phase' ? [e.phase] : []));
  assert.deepEqual(phases, ['listing', 'transferring', 'finishing', 'idle']);
  const last = rig.events.filter((e) => e.type === 'progress').at(-1);
  assert.ok(last?.type === 'progress');
  assert.equal(last.counts.bytesDone, 1000);
  assert.equal(last.counts.filesDone, 1);
  assert.ok(
    rig.events.some((e) => e.type === 'item-done' && e.path === 'a.txt' && e.bytes === 1000),
  );
  const done = rig.events.find((e) => e.type === 'round-finished');
  assert.ok(done?.type === 'round-finished' && done.summary.bytesDownloaded === 1000);
});

test('a 410 Gone re-enumerates the drive and uploads nothing that is unchanged', async () => {
  const src = new ScriptedSource();
  const a = src.file('A', ROOT_ID, 'a.txt', 'alpha');
  const b = src.file('B', ROOT_ID, 'b.txt', 'bravo');
  src.queueFeed([root(), a, b]);
  const rig = await engineRig(src, { general: { deletePolicy: 'delete' } });
  await rig.engine.runRound();
  src.goneNext = true;
  src.queueFeed([root(), a]); // b.txt is gone from the drive
  const after = await rig.engine.runRound();
  assert.equal(after.full, true);
  assert.equal(after.uploaded, 0);
  assert.equal(after.deleted, 1);
  assert.equal(src.downloads, 2);
  assert.deepEqual(await keys(rig), ['a.txt']);
});

test('a dry run reports what it would do and changes neither bucket nor store nor delta_link.json', async () => {
  const src = new ScriptedSource();
  const a = src.file('A', ROOT_ID, 'a.txt', 'alpha');
  src.queueFeed([root(), a]);
  const rig = await engineRig(src);
  const before = JSON.stringify(getCursor(rig.store.db));
  const report = await rig.engine.preview();
  assert.deepEqual(
    report.actions.map((x) => [x.action, x.path, x.bytes]),
    [['upload', 'a.txt', 5]],
  );
  assert.equal(report.summary.dryRun, true);
  assert.deepEqual(await keys(rig), []);
  assert.equal(JSON.stringify(getCursor(rig.store.db)), before);
  assert.equal(rig.store.db.value('SELECT count(*) FROM items'), 0);
  assert.equal(rig.store.recentRuns().length, 0);
  assert.equal(existsSync(rig.config.onedrive.deltaLinkPath), false);
});
