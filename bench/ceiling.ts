// What moto can take from this machine with nothing of the product in the path: the throughput
// ceilings the engine's ratios are taken against, measured in the same run on the same moto.
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import pLimit from 'p-limit';
import { createS3Client } from '../src/core/s3/client.js';
import type { AwsConfig } from '../src/core/config/types.js';
import { makeContent } from '../test/sim/graph/index.js';
import { stopwatch } from './measure.js';

/** An S3 client configured exactly like the engine's (same factory, same settings). */
async function freshClient(aws: AwsConfig, bucket: string): Promise<S3Client> {
  const client = createS3Client({ ...aws, bucket });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return client;
}

/** The simulator's bytes for a generated file, held in memory. */
export async function contentBytes(size: number, seed: string): Promise<Buffer> {
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of makeContent({ size, seed }).stream()) {
    (chunk as Buffer).copy(out, at);
    at += (chunk as Buffer).length;
  }
  return out;
}

/**
 * B3's ceiling: the same bytes, already in memory, PutObject-ed to the same moto with the
 * same concurrency. Returns seconds.
 */
export async function putCeiling(
  aws: AwsConfig,
  bodies: Buffer[],
  concurrency: number,
): Promise<number> {
  const bucket = 'ceiling-put';
  const client = await freshClient(aws, bucket);
  const limit = pLimit(concurrency);
  const elapsed = stopwatch();
  await Promise.all(
    bodies.map((Body, i) =>
      limit(() =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `ceiling/file-${i}.bin`,
            Body,
            ContentLength: Body.length,
          }),
        ),
      ),
    ),
  );
  const seconds = elapsed();
  client.destroy();
  return seconds;
}

/**
 * B4's ceiling: lib-storage's Upload of one buffer from memory, with the part size and the
 * parts in flight the engine used. Returns seconds.
 */
export async function uploadCeiling(
  aws: AwsConfig,
  body: Buffer,
  partSize: number,
  queueSize: number,
): Promise<number> {
  const bucket = 'ceiling-upload';
  const client = await freshClient(aws, bucket);
  const elapsed = stopwatch();
  await new Upload({
    client,
    params: { Bucket: bucket, Key: 'ceiling/big.bin', Body: body },
    partSize,
    queueSize,
  }).done();
  const seconds = elapsed();
  client.destroy();
  return seconds;
}
