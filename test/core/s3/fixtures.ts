import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { createS3Client } from '../../../src/core/s3/client.js';
import { S3Target, type S3TargetOptions } from '../../../src/core/s3/target.js';
import { Pacer } from '../../../src/core/net/pacer.js';
import { memoryLogger } from '../../../src/core/log/logger.js';
import type { AwsConfig } from '../../../src/core/config/types.js';
import type { ObjectMeta, UploadRequest } from '../../../src/core/s3/types.js';
import { freshBucket, TEST_CREDENTIALS } from '../../helpers/s3.js';

export const MiB = 1024 * 1024;

/** Deterministic bytes (xorshift32 from `seed`), so a failure is reproducible. */
export function content(size: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A source over `data` in odd-sized chunks (so parts straddle chunk boundaries). */
export function sourceOf(
  data: Buffer,
  options: {
    chunk?: number;
    failAt?: number;
    failWith?: () => Error;
    onPull?: (bytes: number) => void;
  } = {},
): { open: UploadRequest['open']; opened: number[] } {
  const chunk = options.chunk ?? 100_003;
  const opened: number[] = [];
  const open = async (start: number) => {
    opened.push(start);
    return Readable.from(
      (function* () {
        for (let at = start; at < data.length; at += chunk) {
          if (options.failAt !== undefined && at + chunk > options.failAt) {
            if (at < options.failAt) yield data.subarray(at, options.failAt);
            throw options.failWith?.() ?? new Error('source failed');
          }
          const piece = data.subarray(at, Math.min(data.length, at + chunk));
          options.onPull?.(piece.length);
          yield piece;
        }
      })(),
    );
  };
  return { open, opened };
}

export function awsConfig(endpoint: string, bucket: string): AwsConfig {
  return {
    ...TEST_CREDENTIALS,
    region: 'us-east-1',
    bucket,
    endpoint,
    forcePathStyle: true,
    prefix: '',
    storageClass: 'STANDARD',
    sse: undefined,
    kmsKeyId: undefined,
    multipartThresholdBytes: 16 * MiB,
  };
}

/** A target on a fresh bucket of the real local S3 server; the pacer retries without waiting. */
export async function setup(
  options: Partial<Omit<S3TargetOptions, 'client' | 'bucket'>> & {
    checksums?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
  } = {},
): Promise<{
  target: S3Target;
  client: S3Client;
  bucket: string;
  endpoint: string;
  logger: ReturnType<typeof memoryLogger>;
}> {
  const { endpoint, bucket } = await freshBucket();
  const { checksums, ...rest } = options;
  const client = createS3Client(awsConfig(endpoint, bucket), checksums ? { checksums } : {});
  const logger = memoryLogger();
  const target = new S3Target({
    client,
    bucket,
    storageClass: 'STANDARD',
    pacer: new Pacer({ service: 's3', random: () => 0 }),
    logger,
    ...rest,
  });
  return { target, client, bucket, endpoint, logger };
}

export async function readObject(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(
    await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}

export const META: ObjectMeta = {
  mtime: '1714558830.5',
  itemId: 'ABC123!101',
  contentType: 'text/plain',
};

/**
 * Makes the client answer chosen requests with a canned HTTP response or a network error,
 * before they reach the server; the SDK's own deserializer turns the response into its error.
 */
export function injectFaults(
  client: S3Client,
  pick: (
    op: string,
    input: Record<string, unknown>,
  ) => { status: number; code: string; headers?: Record<string, string> } | Error | undefined,
): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName).replace(/Command$/, '');
      const fault = pick(op, args.input as Record<string, unknown>);
      if (fault instanceof Error) throw fault;
      if (fault) {
        const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>injected</Message></Error>`;
        return {
          response: {
            statusCode: fault.status,
            headers: { 'content-type': 'application/xml', ...fault.headers },
            body: Readable.from([Buffer.from(xml)]),
          },
          output: undefined as never,
        };
      }
      return next(args);
    },
    { step: 'deserialize', priority: 'low', name: `faults${Math.random()}` },
  );
}
