import assert from 'node:assert/strict';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { QuickXorHash } from '../../src/core/hash/quickxor.js';
import { formatMtime, sameSecond } from '../../src/core/s3/metadata.js';
import type { SimDrive } from '../sim/graph/index.js';

export interface ListedObject {
  key: string;
  size: number;
}

/** Every object under `prefix`, paging through ListObjectsV2. */
export async function listBucket(
  client: S3Client,
  bucket: string,
  prefix = '',
): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const res = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of res.Contents ?? []) out.push({ key: o.Key as string, size: Number(o.Size) });
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out.sort((a, b) => (a.key < b.key ? -1 : 1));
}

export async function objectHash(client: S3Client, bucket: string, key: string): Promise<string> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = new QuickXorHash();
  for await (const chunk of res.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest();
}

export interface MatchOptions {
  prefix: string;
  /** Keys under these prefixes are not the drive's mirror (the trash, kept old keys). */
  ignore?: string[];
  /** Adopted objects of the original tool carry integer seconds: compare to the second. */
  mtime?: 'exact' | 'second';
}

/**
 * The promise of every scenario: the bucket holds exactly the drive's files (OneNote notebooks
 * excepted) under prefix + path, with the same bytes, the rclone-format mtime and the
 * Content-Type of each file.
 */
export async function assertBucketMatchesDrive(
  client: S3Client,
  bucket: string,
  drive: SimDrive,
  options: MatchOptions,
): Promise<void> {
  const ignored = (key: string) => (options.ignore ?? []).some((p) => key.startsWith(p));
  const listed = (await listBucket(client, bucket, options.prefix)).filter((o) => !ignored(o.key));
  const files = drive.files();
  const expected = files.map((f) => `${options.prefix}${f.path}`).sort();
  assert.deepEqual(
    listed.map((o) => o.key),
    expected,
    'the bucket keys should be the drive files',
  );
  for (const f of files) {
    const key = `${options.prefix}${f.path}`;
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(Number(head.ContentLength), f.size, `size of ${key}`);
    const mtime = head.Metadata?.mtime;
    if (options.mtime === 'second') {
      assert.ok(sameSecond(mtime, formatMtime(f.mtime)), `mtime of ${key}: ${mtime} vs ${f.mtime}`);
    } else {
      assert.equal(mtime, formatMtime(f.mtime), `mtime of ${key}`);
    }
    assert.equal(
      head.ContentType,
      f.mimeType ?? 'application/octet-stream',
      `Content-Type of ${key}`,
    );
    const want = f.quickXorHash ?? new QuickXorHash().digest();
    assert.equal(await objectHash(client, bucket, key), want, `bytes of ${key}`);
  }
}
