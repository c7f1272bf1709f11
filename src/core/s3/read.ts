import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import type { HeadInfo, MultipartInfo, ObjectInfo } from './types.js';
import { isNotFound } from './errors.js';
import { bareEtag, type S3Context } from './context.js';

/** HEAD an object: undefined when it does not exist (S3 answers a missing bucket the same way). */
export async function headObject(
  ctx: S3Context,
  key: string,
  signal?: AbortSignal,
): Promise<HeadInfo | undefined> {
  try {
    const res = await ctx.run(
      'HeadObject',
      key,
      (s) =>
        ctx.client.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: key }), {
          abortSignal: s,
        }),
      signal,
    );
    return {
      key,
      size: res.ContentLength ?? 0,
      ...(res.ETag ? { etag: bareEtag(res.ETag) } : {}),
      ...(res.LastModified ? { lastModified: res.LastModified } : {}),
      // HEAD omits x-amz-storage-class for STANDARD; listings say it.
      storageClass: res.StorageClass ?? 'STANDARD',
      metadata: Object.fromEntries(
        Object.entries(res.Metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
      ),
      ...(res.ContentType ? { contentType: res.ContentType } : {}),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Every object under `prefix`, one ListObjectsV2 page (1000 keys) at a time. */
export async function* listObjects(
  ctx: S3Context,
  prefix: string,
  signal?: AbortSignal,
): AsyncGenerator<ObjectInfo> {
  let token: string | undefined;
  do {
    const page = await ctx.run(
      'ListObjectsV2',
      prefix,
      (s) =>
        ctx.client.send(
          new ListObjectsV2Command({
            Bucket: ctx.bucket,
            Prefix: prefix,
            MaxKeys: 1000,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
          { abortSignal: s },
        ),
      signal,
    );
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      yield {
        key: o.Key,
        size: o.Size ?? 0,
        ...(o.ETag ? { etag: bareEtag(o.ETag) } : {}),
        ...(o.LastModified ? { lastModified: o.LastModified } : {}),
        ...(o.StorageClass ? { storageClass: o.StorageClass } : {}),
      };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
}

/** Unfinished multipart uploads under `prefix` (orphans of crashes, or resumable uploads). */
export async function listUploads(
  ctx: S3Context,
  prefix: string,
  signal?: AbortSignal,
): Promise<MultipartInfo[]> {
  const out: MultipartInfo[] = [];
  let keyMarker: string | undefined;
  let idMarker: string | undefined;
  for (;;) {
    const page = await ctx.run(
      'ListMultipartUploads',
      prefix,
      (s) =>
        ctx.client.send(
          new ListMultipartUploadsCommand({
            Bucket: ctx.bucket,
            Prefix: prefix,
            MaxUploads: 1000,
            ...(keyMarker === undefined ? {} : { KeyMarker: keyMarker }),
            ...(idMarker === undefined ? {} : { UploadIdMarker: idMarker }),
          }),
          { abortSignal: s },
        ),
      signal,
    );
    for (const u of page.Uploads ?? []) {
      if (u.Key === undefined || u.UploadId === undefined) continue;
      out.push({
        key: u.Key,
        uploadId: u.UploadId,
        ...(u.Initiated ? { initiated: u.Initiated } : {}),
      });
    }
    if (!page.IsTruncated || (!page.NextKeyMarker && !page.NextUploadIdMarker)) return out;
    keyMarker = page.NextKeyMarker;
    idMarker = page.NextUploadIdMarker;
  }
}
