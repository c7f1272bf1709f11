import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { countRequests } from '../../../src/core/s3/client.js';
import { isNotFound } from '../../../src/core/s3/errors.js';
import { SyncError } from '../../../src/core/errors.js';
import { META, MiB, content, readObject, setup, sourceOf } from './fixtures.js';

const AWKWARD = [
  'Fotos/Été 2024/ファイル #1 100% +plus?.jpg',
  'a b/c%20d/e+f#g',
  "odd/!'()*&=;:@$,.txt",
  'emoji/🎉 party.txt',
];

test('copying with new metadata replaces it, keeps the bytes and sets the storage class', async () => {
  const { target, client, bucket } = await setup({ storageClass: 'STANDARD_IA' });
  const data = content(2048, 21);
  await target.upload({
    key: 'old/a.txt',
    size: data.length,
    meta: META,
    open: sourceOf(data).open,
  });
  await target.copy({
    from: 'old/a.txt',
    to: 'new/a.txt',
    size: data.length,
    meta: { mtime: '1700000000', itemId: 'NEW!1', quickXorHash: 'qx==', contentType: 'text/csv' },
  });
  const head = await target.head('new/a.txt');
  assert.deepEqual(head?.metadata, {
    mtime: '1700000000',
    'onedrive-id': 'NEW!1',
    quickxorhash: 'qx==',
  });
  assert.equal(head?.contentType, 'text/csv');
  assert.equal(head?.storageClass, 'STANDARD_IA');
  assert.deepEqual(await readObject(client, bucket, 'new/a.txt'), data);
  assert.equal((await target.head('old/a.txt'))?.metadata['onedrive-id'], 'ABC123!101');
});

test('copying without metadata keeps the source metadata and content type', async () => {
  const { target } = await setup();
  const data = content(100, 22);
  await target.upload({ key: 'x', size: 100, meta: META, open: sourceOf(data).open });
  await target.copy({ from: 'x', to: 'y', size: 100 });
  const head = await target.head('y');
  assert.equal(head?.metadata.mtime, META.mtime);
  assert.equal(head?.contentType, 'text/plain');
});

test('keys with unicode, #, %, + and spaces copy correctly', async () => {
  const { target, client, bucket } = await setup();
  for (const [i, key] of AWKWARD.entries()) {
    const data = content(500 + i, 30 + i);
    await target.upload({ key, size: data.length, meta: META, open: sourceOf(data).open });
    await target.copy({ from: key, to: `copy/${key}`, size: data.length, meta: META });
    assert.deepEqual(await readObject(client, bucket, `copy/${key}`), data, key);
  }
  const listed: string[] = [];
  for await (const o of target.list('copy/')) listed.push(o.key);
  assert.deepEqual(listed.sort(), AWKWARD.map((k) => `copy/${k}`).sort());
});

test('metadata is rewritten in place without moving bytes', async () => {
  const { target, client, bucket } = await setup();
  const key = 'Docs/ünï #1.txt';
  const data = content(4096, 23);
  await target.upload({ key, size: data.length, meta: META, open: sourceOf(data).open });
  const counter = countRequests(client);
  await target.copy({
    from: key,
    to: key,
    size: data.length,
    meta: { ...META, mtime: '1800000000' },
  });
  assert.deepEqual(counter.counts, { CopyObject: 1 });
  assert.equal((await target.head(key))?.metadata.mtime, '1800000000');
  assert.deepEqual(await readObject(client, bucket, key), data);
  counter.reset();
  await target.copy({ from: key, to: key, size: data.length });
  assert.equal(counter.total(), 0, 'nothing to change, no request');
});

test('objects above the copy threshold are copied in ranged parts, byte-exact, with metadata', async () => {
  const { target, client, bucket } = await setup({
    copyPartThresholdBytes: 6 * MiB,
    partSizeBytes: 5 * MiB,
  });
  const data = content(12 * MiB + 7, 24);
  const from = 'big/ source #1.bin';
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: from,
      Body: data,
      ContentType: 'video/mp4',
      Metadata: { mtime: '5', 'onedrive-id': 'B' },
    }),
  );
  const counter = countRequests(client);
  await target.copy({ from, to: 'big/kept.bin', size: data.length });
  assert.deepEqual(counter.counts, {
    HeadObject: 1,
    CreateMultipartUpload: 1,
    UploadPartCopy: 3,
    CompleteMultipartUpload: 1,
  });
  assert.deepEqual(await readObject(client, bucket, 'big/kept.bin'), data);
  const kept = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big/kept.bin' }));
  assert.equal(kept.ContentType, 'video/mp4');
  assert.deepEqual(kept.Metadata, { mtime: '5', 'onedrive-id': 'B' });

  await target.copy({ from, to: 'big/new.bin', size: data.length, meta: META });
  assert.equal((await target.head('big/new.bin'))?.metadata.mtime, META.mtime);
  assert.deepEqual(await readObject(client, bucket, 'big/new.bin'), data);
});

test('a copy whose source is missing fails as not-found and leaves no upload behind', async () => {
  const { target, client, bucket } = await setup({ copyPartThresholdBytes: 6 * MiB });
  for (const size of [10, 7 * MiB]) {
    await assert.rejects(
      target.copy({ from: 'gone', to: 'there', size }),
      (e: unknown) => e instanceof SyncError && e.kind === 'item' && isNotFound(e),
    );
  }
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  assert.deepEqual(uploads.Uploads ?? [], []);
});
