import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { countRequests } from '../../../src/core/s3/client.js';
import { startRun } from '../../../src/core/store/cursor.js';
import { folder, root, ROOT_ID } from './drive-items.js';
import { ScriptedSource } from './fake-source.js';
import { engineRig } from './harness.js';

async function uploadsLeft(rig: Awaited<ReturnType<typeof engineRig>>): Promise<string[]> {
  const res = await rig.s3.client.send(new ListMultipartUploadsCommand({ Bucket: rig.s3.bucket }));
  return (res.Uploads ?? []).map((u) => u.Key as string);
}

test('a quiet incremental round after a clean one sends no S3 request at all', async () => {
  const src = new ScriptedSource();
  src.queueFeed([root(), folder('F', ROOT_ID, 'Docs'), src.file('A', 'F', 'a.txt', 'alpha')]);
  const rig = await engineRig(src);
  assert.equal((await rig.engine.runRound()).result, 'ok');
  const counter = countRequests(rig.s3.client);
  const quiet = await rig.engine.runRound();
  counter.detach();
  assert.equal(quiet.full, false);
  assert.equal(quiet.result, 'ok');
  assert.deepEqual(counter.counts, {});
});

test('the round after a killed one aborts multipart uploads nothing will resume', async () => {
  const src = new ScriptedSource();
  src.queueFeed([root(), folder('F', ROOT_ID, 'Docs'), src.file('A', 'F', 'a.txt', 'alpha')]);
  const rig = await engineRig(src);
  await rig.engine.runRound();
  // What a process killed between CreateMultipartUpload and its first checkpoint leaves: an
  // upload no checkpoint names, and a round that never finished.
  await rig.s3.client.send(
    new CreateMultipartUploadCommand({ Bucket: rig.s3.bucket, Key: 'Docs/big.bin' }),
  );
  startRun(rig.store.db, new Date().toISOString(), false);
  const next = await rig.engine.runRound();
  assert.equal(next.full, false);
  assert.deepEqual(await uploadsLeft(rig), []);
});
