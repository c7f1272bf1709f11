import {
  GetBucketVersioningCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { s3Failure } from './errors.js';

/** One object to bring back: the current version, or the version that was current at `--at`. */
export interface RestoreEntry {
  key: string;
  versionId?: string;
  size: number;
  lastModified?: Date;
  storageClass?: string;
}

export interface ListTarget {
  client: S3Client;
  bucket: string;
  prefix: string;
  signal?: AbortSignal;
}

/** Every current object under the prefix, page by page (ListObjectsV2). */
export async function* listCurrent(t: ListTarget): AsyncGenerator<RestoreEntry> {
  let token: string | undefined;
  do {
    const page = await t.client
      .send(
        new ListObjectsV2Command({ Bucket: t.bucket, Prefix: t.prefix, ContinuationToken: token }),
        { abortSignal: t.signal },
      )
      .catch((error: unknown) => {
        throw s3Failure(error, {
          op: 'ListObjectsV2',
          permission: 's3:ListBucket',
          bucket: t.bucket,
          deniedIsFatal: true,
        });
      });
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      yield {
        key: o.Key,
        size: o.Size ?? 0,
        ...(o.LastModified ? { lastModified: o.LastModified } : {}),
        ...(o.StorageClass ? { storageClass: o.StorageClass } : {}),
      };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

export async function versioningStatus(
  t: Omit<ListTarget, 'prefix'>,
): Promise<'Enabled' | 'Suspended' | undefined> {
  const answer = await t.client
    .send(new GetBucketVersioningCommand({ Bucket: t.bucket }), { abortSignal: t.signal })
    .catch((error: unknown) => {
      throw s3Failure(error, {
        op: 'GetBucketVersioning',
        permission: 's3:GetBucketVersioning',
        bucket: t.bucket,
        deniedIsFatal: true,
      });
    });
  return answer.Status === 'Enabled' || answer.Status === 'Suspended' ? answer.Status : undefined;
}

interface Candidate {
  entry: RestoreEntry;
  deleted: boolean;
  at: number;
  latest: boolean;
}

/**
 * Each key as it was at `at`: the newest version or delete marker with LastModified <= at.
 * Keys whose newest such entry is a delete marker (deleted by then) and keys created later are
 * left out. S3 timestamps have one-second resolution; a version and a delete marker in the same
 * second are ordered by which one S3 calls latest.
 */
export async function listAt(t: ListTarget, at: Date): Promise<RestoreEntry[]> {
  const best = new Map<string, Candidate>();
  const limit = at.getTime();
  const consider = (c: Candidate): void => {
    if (c.at > limit) return;
    const seen = best.get(c.entry.key);
    // S3 lists a key's versions newest first, so on a tie the first one seen is the newer.
    if (!seen || c.at > seen.at || (c.at === seen.at && c.latest && !seen.latest)) {
      best.set(c.entry.key, c);
    }
  };
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await t.client
      .send(
        new ListObjectVersionsCommand({
          Bucket: t.bucket,
          Prefix: t.prefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
        { abortSignal: t.signal },
      )
      .catch((error: unknown) => {
        throw s3Failure(error, {
          op: 'ListObjectVersions',
          permission: 's3:ListBucketVersions',
          bucket: t.bucket,
          deniedIsFatal: true,
        });
      });
    for (const v of page.Versions ?? []) {
      if (v.Key === undefined) continue;
      consider({
        entry: {
          key: v.Key,
          size: v.Size ?? 0,
          ...(v.VersionId ? { versionId: v.VersionId } : {}),
          ...(v.LastModified ? { lastModified: v.LastModified } : {}),
          ...(v.StorageClass ? { storageClass: v.StorageClass } : {}),
        },
        deleted: false,
        at: v.LastModified?.getTime() ?? 0,
        latest: v.IsLatest === true,
      });
    }
    for (const d of page.DeleteMarkers ?? []) {
      if (d.Key === undefined) continue;
      consider({
        entry: { key: d.Key, size: 0 },
        deleted: true,
        at: d.LastModified?.getTime() ?? 0,
        latest: d.IsLatest === true,
      });
    }
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
  return [...best.values()]
    .filter((c) => !c.deleted)
    .map((c) => c.entry)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
