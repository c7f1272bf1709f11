import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { QuickXorHash, quickXorHash } from '../../../src/core/hash/quickxor.js';
import { countRequests, createS3Client } from '../../../src/core/s3/client.js';
import { S3Target } from '../../../src/core/s3/target.js';
import { Pacer } from '../../../src/core/net/pacer.js';
import { retryable, SyncError, isAbortError } from '../../../src/core/errors.js';
import type { UploadCheckpoint } from '../../../src/core/s3/types.js';
import { META, MiB, awsConfig, content, readObject, setup, sourceOf } from './fixtures.js';

const PARTS = { multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB } as const;

async function openUploads(client: S3Client, bucket: string): Promise<string[]> {
  const res = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  return (res.Uploads ?? []).map((u) => u.UploadId as string);
}

const flaky = () => retryable('download dropped', { code: 'network' });

test('an upload interrupted by the source resumes from its checkpoint and sends only the remaining parts', async () => {
  const { target, client, bucket } = await setup({ ...PARTS, partConcurrency: 1 });
  const data = content(17 * MiB, 11); // parts of 5, 5, 5 and 2 MiB
  const checkpoints: UploadCheckpoint[] = [];
  await assert.rejects(
    target.upload({
      key: 'movie.mkv',
      size: data.length,
      meta: META,
      expectedQuickXorHash: quickXorHash(data),
      open: sourceOf(data, { failAt: 12 * MiB, failWith: flaky }).open,
      onCheckpoint: (cp) => void checkpoints.push(structuredClone(cp)),
    }),
    (e: unknown) => e instanceof SyncError && e.message === 'download dropped',
  );
  assert.deepEqual(
    checkpoints.map((c) => [c.parts.map((p) => p.partNumber), c.bytes]),
    [
      [[], 0],
      [[1], 5 * MiB],
      [[1, 2], 10 * MiB],
    ],
  );
  const last = checkpoints.at(-1) as UploadCheckpoint;
  assert.deepEqual(last.hash, new QuickXorHash().update(data.subarray(0, 10 * MiB)).state());
  assert.deepEqual(await openUploads(client, bucket), [last.uploadId], 'kept for resume');

  const counter = countRequests(client);
  const source = sourceOf(data);
  const result = await target.upload({
    key: 'movie.mkv',
    size: data.length,
    meta: META,
    expectedQuickXorHash: quickXorHash(data),
    open: source.open,
    resume: last,
    onCheckpoint: (cp) => void checkpoints.push(structuredClone(cp)),
  });
  assert.equal(result.resumed, true);
  assert.deepEqual(source.opened, [10 * MiB]);
  assert.deepEqual(counter.counts, { ListParts: 1, UploadPart: 2, CompleteMultipartUpload: 1 });
  assert.equal(checkpoints.at(-1)?.bytes, 17 * MiB);
  assert.deepEqual(await readObject(client, bucket, 'movie.mkv'), data);
  assert.deepEqual(await openUploads(client, bucket), []);
});

test('cancelling an upload keeps the multipart upload, and a later call completes it', async () => {
  const { target, client, bucket } = await setup({ ...PARTS, partConcurrency: 2 });
  const data = content(16 * MiB, 12);
  const stop = new AbortController();
  let last: UploadCheckpoint | undefined;
  await assert.rejects(
    target.upload({
      key: 'c.bin',
      size: data.length,
      meta: META,
      open: sourceOf(data).open,
      signal: stop.signal,
      onCheckpoint: (cp) => {
        last = structuredClone(cp);
        if (cp.parts.length >= 1) stop.abort();
      },
    }),
    (e: unknown) => isAbortError(e),
  );
  assert.ok(last && last.parts.length >= 1);
  assert.deepEqual(await openUploads(client, bucket), [last.uploadId]);
  const result = await target.upload({
    key: 'c.bin',
    size: data.length,
    meta: META,
    expectedQuickXorHash: quickXorHash(data),
    open: sourceOf(data).open,
    resume: last,
  });
  assert.equal(result.resumed, true);
  assert.deepEqual(await readObject(client, bucket, 'c.bin'), data);
});

test('a checkpoint whose upload is gone from S3 starts afresh from byte 0', async () => {
  const { target, client, bucket } = await setup(PARTS);
  const data = content(11 * MiB, 13);
  let last: UploadCheckpoint | undefined;
  await assert.rejects(
    target.upload({
      key: 'g.bin',
      size: data.length,
      meta: META,
      open: sourceOf(data, { failAt: 10 * MiB + 1, failWith: flaky }).open,
      onCheckpoint: (cp) => void (last = structuredClone(cp)),
    }),
  );
  assert.ok(last && last.parts.length > 0);
  await client.send(
    new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'g.bin', UploadId: last.uploadId }),
  );
  const source = sourceOf(data);
  const result = await target.upload({
    key: 'g.bin',
    size: data.length,
    meta: META,
    expectedQuickXorHash: quickXorHash(data),
    open: source.open,
    resume: last,
  });
  assert.equal(result.resumed, false);
  assert.deepEqual(source.opened, [0]);
  assert.deepEqual(await readObject(client, bucket, 'g.bin'), data);
});

test('a source that fails for good aborts the upload, as does any failure without checkpoints', async () => {
  const { target, client, bucket } = await setup(PARTS);
  const data = content(11 * MiB, 14);
  await assert.rejects(
    target.upload({
      key: 'f.bin',
      size: data.length,
      meta: META,
      open: sourceOf(data, { failAt: 10 * MiB + 1, failWith: () => new Error('gone') }).open,
      onCheckpoint: () => {},
    }),
    /gone/,
  );
  assert.deepEqual(await openUploads(client, bucket), []);
  await assert.rejects(
    target.upload({
      key: 'f.bin',
      size: data.length,
      meta: META,
      open: sourceOf(data, { failAt: 10 * MiB + 1, failWith: flaky }).open,
    }),
    /download dropped/,
  );
  assert.deepEqual(await openUploads(client, bucket), []);
});

test('reading runs at most one part ahead of the parts in flight', async () => {
  const { target } = await setup({ ...PARTS, partConcurrency: 2 });
  const data = content(40 * MiB, 15);
  let pulled = 0;
  let sent = 0;
  let ahead = 0;
  const { open } = sourceOf(data, {
    chunk: 256 * 1024,
    onPull: (n) => {
      pulled += n;
      ahead = Math.max(ahead, pulled - sent);
    },
  });
  await target.upload({
    key: 'm.bin',
    size: data.length,
    meta: META,
    open,
    onProgress: (n) => void (sent += n),
  });
  // 2 parts in flight + 1 being filled, plus what the stream itself buffers (16 chunks).
  assert.ok(ahead <= 3 * 5 * MiB + 16 * 256 * 1024, `read ${ahead} bytes ahead`);
  assert.ok(ahead >= 5 * MiB, `a part is read whole before it is sent (${ahead} bytes ahead)`);
});

test("with the SDK's default checksums parts carry CRC32, and a resume under another setting starts afresh", async () => {
  const { target, endpoint, bucket, client } = await setup({
    ...PARTS,
    checksums: 'WHEN_SUPPORTED',
  });
  const data = content(11 * MiB, 16);
  let last: UploadCheckpoint | undefined;
  await assert.rejects(
    target.upload({
      key: 'k.bin',
      size: data.length,
      meta: META,
      open: sourceOf(data, { failAt: 10 * MiB + 1, failWith: flaky }).open,
      onCheckpoint: (cp) => void (last = structuredClone(cp)),
    }),
  );
  assert.equal(last?.checksumAlgorithm, 'CRC32');
  const other = createS3Client(awsConfig(endpoint, bucket), { checksums: 'WHEN_REQUIRED' });
  const counter = countRequests(other);
  const plain = new S3Target({
    client: other,
    bucket,
    storageClass: 'STANDARD',
    pacer: new Pacer({ service: 's3', random: () => 0 }),
    ...PARTS,
  });
  const result = await plain.upload({
    key: 'k.bin',
    size: data.length,
    meta: META,
    open: sourceOf(data).open,
    resume: last,
  });
  assert.equal(result.resumed, false);
  assert.equal(counter.counts.CreateMultipartUpload, 1);
  assert.deepEqual(await readObject(client, bucket, 'k.bin'), data);
  assert.deepEqual(await openUploads(client, bucket), [], 'the stale upload was aborted');
});

test('cancelling an upload nobody checkpoints aborts it, since nothing could resume it', async () => {
  const { target, client, bucket } = await setup({ ...PARTS, partConcurrency: 1 });
  const data = content(11 * MiB, 17);
  const stop = new AbortController();
  await assert.rejects(
    target.upload({
      key: 'n.bin',
      size: data.length,
      meta: META,
      open: sourceOf(data).open,
      signal: stop.signal,
      onProgress: () => stop.abort(),
    }),
    (e: unknown) => isAbortError(e),
  );
  assert.deepEqual(await openUploads(client, bucket), []);
});
