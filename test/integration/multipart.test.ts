import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { Rig } from './rig.js';

test('a round aborts unfinished multipart uploads under its prefix that nothing will resume', async (t) => {
  const rig = await Rig.start({ prefix: 'mine/' });
  t.after(() => rig.close());
  const create = (Key: string) =>
    rig.client.send(new CreateMultipartUploadCommand({ Bucket: rig.s3.bucket, Key }));
  await create('mine/left-behind.bin');
  await create('other/not-ours.bin');
  rig.sim.drive.addFile('a.txt', 'a');
  await rig.round();
  const left = await rig.client.send(new ListMultipartUploadsCommand({ Bucket: rig.s3.bucket }));
  assert.deepEqual(
    (left.Uploads ?? []).map((u) => u.Key),
    ['other/not-ours.bin'],
  );
});

test('throttling by OneDrive is reported as an event and the round still completes', async (t) => {
  const rig = await Rig.start();
  t.after(() => rig.close());
  rig.sim.drive.addFile('a.txt', 'a');
  rig.sim.faults.throttle({ route: 'delta', retryAfter: 1 });
  const run = await rig.cli(['sync']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /throttled by graph: pausing 1 s/);
});
