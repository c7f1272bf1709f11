import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { startMoto, type MotoServer } from '../../scripts/moto.mjs';

let shared: Promise<string> | undefined;
let own: MotoServer | undefined;

/**
 * The local S3 server's endpoint: the one the test runner (or .ci/run) started, else one this
 * process starts and stops itself (running a single file by hand).
 */
export function s3Endpoint(): Promise<string> {
  shared ??= (async () => {
    if (process.env.S3_TEST_ENDPOINT) return process.env.S3_TEST_ENDPOINT;
    // Stopped when this process exits (startMoto hooks that): an after() here would be scoped
    // to whichever test happened to ask first, and stop moto under the next one.
    own = await startMoto();
    own.unref();
    return own.endpoint;
  })();
  return shared;
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function testS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
  });
}

/** A fresh bucket of its own for one test, on the real local S3 server. */
export async function freshBucket(
  options: { versioned?: boolean } = {},
): Promise<{ endpoint: string; bucket: string; client: S3Client }> {
  const endpoint = await s3Endpoint();
  const client = testS3Client(endpoint);
  const bucket = `t-${randomUUID().slice(0, 18)}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  if (options.versioned) {
    const { PutBucketVersioningCommand } = await import('@aws-sdk/client-s3');
    await client.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
  }
  return { endpoint, bucket, client };
}
