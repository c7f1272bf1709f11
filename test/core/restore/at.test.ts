import { DeleteObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restoreObjects } from '../../../src/core/restore/index.js';
import { freshBucket } from '../../helpers/s3.js';
import { tempDir } from '../../helpers/tmp.js';
import { put, tree } from './helpers.js';

async function newestChange(client: S3Client, bucket: string): Promise<number> {
  const v = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const times = [...(v.Versions ?? []), ...(v.DeleteMarkers ?? [])].map(
    (x) => x.LastModified?.getTime() ?? 0,
  );
  return Math.max(...times);
}

/**
 * S3 stamps LastModified to the second, so "before" and "after" need a second boundary between
 * them. This waits for the wall clock to pass one; it is setup, not a timing assertion.
 */
async function pastSecond(ms: number): Promise<void> {
  while (Date.now() <= ms) await new Promise((r) => setTimeout(r, 25));
}

test('--at restores each key as it was then: earlier versions, deleted files, not later ones', async () => {
  const { client, bucket } = await freshBucket({ versioned: true });
  await put(client, bucket, 'p/doc.txt', 'version one', { mtime: '1600000000' });
  await put(client, bucket, 'p/gone-later.txt', 'still here then');
  await put(client, bucket, 'p/gone-before.txt', 'x');
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'p/gone-before.txt' }));
  const at = (await newestChange(client, bucket)) + 999;
  await pastSecond(at);
  await put(client, bucket, 'p/doc.txt', 'version two', { mtime: '1700000000' });
  await put(client, bucket, 'p/new.txt', 'created later');
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'p/gone-later.txt' }));

  const then = tempDir();
  const summary = await restoreObjects({
    client,
    bucket,
    prefix: 'p/',
    to: then,
    at: new Date(at),
  });
  assert.deepEqual(
    tree(then),
    new Map([
      ['doc.txt', 'version one'],
      ['gone-later.txt', 'still here then'],
    ]),
  );
  assert.equal(summary.restored, 2);

  const now = tempDir();
  await restoreObjects({ client, bucket, prefix: 'p/', to: now });
  assert.deepEqual(
    tree(now),
    new Map([
      ['doc.txt', 'version two'],
      ['new.txt', 'created later'],
    ]),
  );
});

test('--at on a bucket without versioning is refused: it kept no earlier versions', async () => {
  const { client, bucket } = await freshBucket();
  await put(client, bucket, 'a.txt', 'a');
  await assert.rejects(
    restoreObjects({ client, bucket, prefix: '', to: tempDir(), at: new Date() }),
    (error: Error & { kind?: string; code?: string }) =>
      error.kind === 'fatal' &&
      error.code === 'not-versioned' &&
      /not versioned/.test(error.message),
  );
});
