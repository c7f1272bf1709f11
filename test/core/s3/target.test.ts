import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { quickXorHash } from '../../../src/core/hash/quickxor.js';
import { countRequests } from '../../../src/core/s3/client.js';
import { S3Target } from '../../../src/core/s3/target.js';
import { Pacer } from '../../../src/core/net/pacer.js';
import { SyncError } from '../../../src/core/errors.js';
import { META, MiB, content, injectFaults, readObject, setup, sourceOf } from './fixtures.js';

test('a small file is one PutObject whose metadata, content type and storage class show on HEAD', async () => {
  const { target, client, bucket } = await setup({ storageClass: 'STANDARD_IA' });
  const counter = countRequests(client);
  const data = content(300_000);
  const progress: number[] = [];
  const result = await target.upload({
    key: 'Documents/a.txt',
    size: data.length,
    meta: { ...META, quickXorHash: quickXorHash(data) },
    expectedQuickXorHash: quickXorHash(data),
    open: sourceOf(data).open,
    onProgress: (n) => progress.push(n),
  });
  assert.deepEqual(result, {
    key: 'Documents/a.txt',
    size: data.length,
    etag: result.etag,
    resumed: false,
    multipart: false,
  });
  assert.deepEqual(counter.counts, { PutObject: 1 });
  assert.equal(
    progress.reduce((a, b) => a + b, 0),
    data.length,
  );
  const head = await target.head('Documents/a.txt');
  assert.equal(head?.size, data.length);
  assert.equal(head?.contentType, 'text/plain');
  assert.equal(head?.storageClass, 'STANDARD_IA');
  assert.deepEqual(head?.metadata, {
    mtime: '1714558830.5',
    'onedrive-id': 'ABC123!101',
    quickxorhash: quickXorHash(data),
  });
  assert.deepEqual(await readObject(client, bucket, 'Documents/a.txt'), data);
});

test('a zero-byte file is stored as an empty object without opening the source', async () => {
  const { target, client, bucket } = await setup();
  const source = sourceOf(Buffer.alloc(0));
  const result = await target.upload({
    key: 'empty.bin',
    size: 0,
    meta: { mtime: '1', itemId: 'E' },
    open: source.open,
  });
  assert.equal(result.multipart, false);
  assert.deepEqual(source.opened, []);
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'empty.bin' }));
  assert.equal(head.ContentLength, 0);
  assert.equal(head.ContentType, 'application/octet-stream');
});

test('a small file whose bytes do not match the expected hash is refused and the old object stays', async () => {
  const { target, client, bucket } = await setup();
  const good = content(1000, 7);
  await target.upload({ key: 'k', size: 1000, meta: META, open: sourceOf(good).open });
  const bad = content(1000, 8);
  await assert.rejects(
    target.upload({
      key: 'k',
      size: 1000,
      meta: META,
      expectedQuickXorHash: quickXorHash(good),
      open: sourceOf(bad).open,
    }),
    (e: unknown) => e instanceof SyncError && e.kind === 'retryable' && e.code === 'hash-mismatch',
  );
  assert.deepEqual(await readObject(client, bucket, 'k'), good);
});

test('a small file that delivers more or fewer bytes than announced is refused before writing', async () => {
  const { target, client } = await setup();
  const counter = countRequests(client);
  const data = content(5000);
  for (const size of [4999, 5001]) {
    await assert.rejects(
      target.upload({ key: 'k', size, meta: META, open: sourceOf(data).open }),
      (e: unknown) => e instanceof SyncError && e.code === 'size-mismatch',
    );
  }
  assert.equal(counter.total(), 0);
  assert.equal(await target.head('k'), undefined);
});

test('a large file goes up in parts, byte-exact, with its metadata', async () => {
  const { target, client, bucket } = await setup({
    multipartThresholdBytes: 5 * MiB,
    partSizeBytes: 5 * MiB,
    partConcurrency: 2,
  });
  const counter = countRequests(client);
  const data = content(12 * MiB, 3);
  const progress: number[] = [];
  const result = await target.upload({
    key: 'big/file.bin',
    size: data.length,
    meta: { ...META, contentType: 'video/mp4' },
    expectedQuickXorHash: quickXorHash(data),
    open: sourceOf(data).open,
    onProgress: (n) => progress.push(n),
  });
  assert.equal(result.multipart, true);
  assert.equal(result.resumed, false);
  assert.deepEqual(counter.counts, {
    CreateMultipartUpload: 1,
    UploadPart: 3,
    CompleteMultipartUpload: 1,
  });
  assert.deepEqual(progress.sort(), [2 * MiB, 5 * MiB, 5 * MiB]);
  assert.deepEqual(await readObject(client, bucket, 'big/file.bin'), data);
  const head = await target.head('big/file.bin');
  assert.equal(head?.contentType, 'video/mp4');
  assert.equal(head?.metadata['onedrive-id'], 'ABC123!101');
});

test('a large file whose hash does not match is aborted: no object, no upload left behind', async () => {
  const { target, client, bucket } = await setup({
    multipartThresholdBytes: 5 * MiB,
    partSizeBytes: 5 * MiB,
  });
  const data = content(11 * MiB, 4);
  await assert.rejects(
    target.upload({
      key: 'big.bin',
      size: data.length,
      meta: META,
      expectedQuickXorHash: quickXorHash(content(11 * MiB, 5)),
      open: sourceOf(data).open,
      onCheckpoint: () => {},
    }),
    (e: unknown) => e instanceof SyncError && e.code === 'hash-mismatch',
  );
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  assert.deepEqual(uploads.Uploads ?? [], []);
  assert.equal(await target.head('big.bin'), undefined);
});

test('throttling and dropped connections are retried through the pacer until the upload succeeds', async () => {
  const { target, client, bucket } = await setup({
    multipartThresholdBytes: 5 * MiB,
    partSizeBytes: 5 * MiB,
    partConcurrency: 1,
  });
  let faults = 0;
  injectFaults(client, (op, input) => {
    if (op === 'UploadPart' && input.PartNumber === 2 && faults < 2) {
      faults++;
      return faults === 1
        ? { status: 503, code: 'SlowDown' }
        : Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    return undefined;
  });
  const counter = countRequests(client);
  const data = content(11 * MiB, 6);
  await target.upload({ key: 'r.bin', size: data.length, meta: META, open: sourceOf(data).open });
  assert.equal(faults, 2);
  assert.equal(counter.counts.UploadPart, 5);
  assert.deepEqual(await readObject(client, bucket, 'r.bin'), data);
});

test('a missing bucket stops the round with a fatal error naming the bucket', async () => {
  const { client } = await setup();
  const target = new S3Target({
    client,
    bucket: 'no-such-bucket-here',
    storageClass: 'STANDARD',
    pacer: new Pacer({ service: 's3', random: () => 0 }),
  });
  await assert.rejects(
    target.upload({ key: 'a', size: 3, meta: META, open: sourceOf(Buffer.from('abc')).open }),
    (e: unknown) =>
      e instanceof SyncError &&
      e.kind === 'fatal' &&
      e.code === 'bucket-missing' &&
      /no-such-bucket-here/.test(e.hint ?? '') &&
      (e.cause as { name?: string }).name === 'NoSuchBucket',
  );
});

test('head of a missing object is undefined, and metadata keys come back lower-cased', async () => {
  const { target, client, bucket } = await setup();
  assert.equal(await target.head('nothing'), undefined);
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'x', Body: 'x', Metadata: { MTime: '5' } }),
  );
  assert.deepEqual((await target.head('x'))?.metadata, { mtime: '5' });
});

test('listing pages through more than 1000 objects and deleting them takes 2 requests', async () => {
  const { target, client, bucket } = await setup();
  const keys = Array.from({ length: 1005 }, (_, i) => `p/${String(i).padStart(4, '0')}`);
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(
      keys
        .slice(i, i + 50)
        .map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'x' }))),
    );
  }
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'q/other', Body: 'y' }));
  const counter = countRequests(client);
  const listed: string[] = [];
  for await (const o of target.list('p/')) listed.push(o.key);
  assert.deepEqual(listed, keys);
  assert.deepEqual(counter.counts, { ListObjectsV2: 2 });
  counter.reset();
  const failed = await target.deleteMany(keys);
  assert.deepEqual(failed, []);
  assert.deepEqual(counter.counts, { DeleteObjects: 2 });
  const left: string[] = [];
  for await (const o of target.list('')) left.push(o.key);
  assert.deepEqual(left, ['q/other']);
});

test('orphaned multipart uploads are listed by prefix and can be aborted, twice without harm', async () => {
  const { target, client, bucket } = await setup();
  const a = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'in/a' }));
  await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'out/b' }));
  const found = await target.listMultipartUploads('in/');
  assert.deepEqual(
    found.map((u) => [u.key, u.uploadId]),
    [['in/a', a.UploadId]],
  );
  await target.abortMultipartUpload('in/a', a.UploadId as string);
  await target.abortMultipartUpload('in/a', a.UploadId as string);
  assert.deepEqual(await target.listMultipartUploads('in/'), []);
});

test('options are validated when the target is built', () => {
  const base = { client: {} as never, bucket: 'b', storageClass: 'STANDARD' as const };
  assert.throws(() => new S3Target({ ...base, partConcurrency: 0 }), /partConcurrency/);
  assert.throws(() => new S3Target({ ...base, partSizeBytes: MiB }), /partSizeBytes/);
  assert.throws(() => new S3Target({ ...base, multipartThresholdBytes: 1 }), /multipartThreshold/);
  assert.throws(() => new S3Target({ ...base, kmsKeyId: 'k' }), /kmsKeyId/);
});
