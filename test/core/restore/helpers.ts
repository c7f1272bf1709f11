import { PutObjectCommand, type S3Client, type StorageClass } from '@aws-sdk/client-s3';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export async function put(
  client: S3Client,
  bucket: string,
  key: string,
  body: string | Buffer,
  options: { mtime?: string; storageClass?: StorageClass } = {},
): Promise<string | undefined> {
  const answer = await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ...(options.mtime ? { Metadata: { mtime: options.mtime } } : {}),
      ...(options.storageClass ? { StorageClass: options.storageClass } : {}),
    }),
  );
  return answer.VersionId;
}

/** Every file below `dir` as "a/b.txt" → contents, temp files included (they must not exist). */
export function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(relative(dir, full).split(sep).join('/'), readFileSync(full, 'latin1'));
  }
  return files;
}

export const mtimeMs = (path: string): number => statSync(path).mtimeMs;
