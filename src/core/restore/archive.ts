import { HeadObjectCommand, RestoreObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { s3Code, s3Failure } from './errors.js';
import type { RestoreEntry } from './listing.js';
import { effectiveTier, type RetrievalTier } from './tiers.js';

/**
 * Where an archived object stands, from HEAD's `x-amz-restore` header:
 * absent → never requested (or the restored copy expired); `ongoing-request="true"` → S3 is
 * working on it; `ongoing-request="false"` → a temporary copy can be downloaded now.
 */
export type ArchiveState = 'archived' | 'in-progress' | 'available';

export function parseRestoreHeader(header: string | undefined): ArchiveState {
  const match = /ongoing-request\s*=\s*"?(true|false)"?/i.exec(header ?? '');
  if (!match) return 'archived';
  return match[1]?.toLowerCase() === 'true' ? 'in-progress' : 'available';
}

export interface ArchiveTarget {
  client: S3Client;
  bucket: string;
  signal?: AbortSignal;
}

export interface ArchiveStatus {
  state: ArchiveState;
  /** The class HEAD reports (the listing may lack it for versions). */
  storageClass: string | undefined;
}

export async function archiveStatus(t: ArchiveTarget, entry: RestoreEntry): Promise<ArchiveStatus> {
  const head = await t.client
    .send(new HeadObjectCommand({ Bucket: t.bucket, Key: entry.key, VersionId: entry.versionId }), {
      abortSignal: t.signal,
    })
    .catch((error: unknown) => {
      throw s3Failure(error, {
        op: 'HeadObject',
        permission: entry.versionId ? 's3:GetObjectVersion' : 's3:GetObject',
        bucket: t.bucket,
        key: entry.key,
        deniedIsFatal: false,
      });
    });
  // Only called for objects known to be archived (by listing or InvalidObjectState).
  return {
    state: parseRestoreHeader(head.Restore),
    storageClass: head.StorageClass ?? entry.storageClass,
  };
}

/**
 * Asks S3 to bring an archived object back for `days` days. Asking again while a request is
 * running answers RestoreAlreadyInProgress, which is what we wanted anyway.
 */
export async function requestRestore(
  t: ArchiveTarget,
  entry: RestoreEntry,
  storageClass: string | undefined,
  tier: RetrievalTier,
  days: number,
): Promise<RetrievalTier> {
  const used = effectiveTier(storageClass, tier);
  // Intelligent-Tiering moves the object back to its Frequent Access tier: no Days allowed.
  const lifetime = storageClass === 'INTELLIGENT_TIERING' ? {} : { Days: days };
  try {
    await t.client.send(
      new RestoreObjectCommand({
        Bucket: t.bucket,
        Key: entry.key,
        VersionId: entry.versionId,
        RestoreRequest: { ...lifetime, GlacierJobParameters: { Tier: used } },
      }),
      { abortSignal: t.signal },
    );
  } catch (error) {
    if (s3Code(error) === 'RestoreAlreadyInProgress') return used;
    throw s3Failure(error, {
      op: 'RestoreObject',
      permission: 's3:RestoreObject',
      bucket: t.bucket,
      key: entry.key,
      deniedIsFatal: false,
    });
  }
  return used;
}
