import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ConfigError } from '../errors.js';
import type { AwsConfig } from '../config/types.js';

export interface S3ClientOptions {
  /** Product token appended to the SDK's User-Agent. Default "cloud-sync". */
  userAgent?: string;
  /**
   * Attempts the SDK makes per request on its own. Default 1: the shared S3 pacer retries,
   * so retries don't multiply (SDK 3 × pacer 6) and a Retry-After pauses every worker, not one.
   */
  sdkMaxAttempts?: number;
  /** Give up connecting after this many ms. Default 10 000. */
  connectionTimeoutMs?: number;
  /** Drop a socket idle this long (a stalled transfer); then the pacer retries. Default 120 000. */
  socketTimeoutMs?: number;
  /** Sockets per host. Default 50 (the SDK's). */
  maxSockets?: number;
  /**
   * When the SDK adds CRC32 checksums to writes. Default: the SDK's ("WHEN_SUPPORTED") on AWS;
   * "WHEN_REQUIRED" with a custom endpoint, because S3-compatible stores that predate AWS's
   * 2025 checksum defaults refuse the extra headers. Payload integrity does not depend on it:
   * our bodies are buffers, so SigV4 signs their SHA-256.
   */
  checksums?: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
}

/**
 * The S3 client for a configured bucket: explicit keys when both are set, otherwise the SDK's
 * default credential chain (environment, shared files, SSO, instance/container role).
 */
export function createS3Client(aws: AwsConfig, options: S3ClientOptions = {}): S3Client {
  const hasId = Boolean(aws.accessKeyId);
  const hasSecret = Boolean(aws.secretAccessKey);
  if (hasId !== hasSecret) {
    throw new ConfigError(
      `[aws] ${hasId ? 'secret_access_key' : 'access_key_id'} is missing: set access_key_id and secret_access_key together, or neither to use the AWS default credential chain`,
    );
  }
  const sdkMaxAttempts = options.sdkMaxAttempts ?? 1;
  if (!Number.isInteger(sdkMaxAttempts) || sdkMaxAttempts < 1) {
    throw new TypeError(
      `Expected \`sdkMaxAttempts\` to be a whole number >= 1, got ${sdkMaxAttempts}`,
    );
  }
  const checksums = options.checksums ?? (aws.endpoint ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED');
  const agent = { keepAlive: true, maxSockets: options.maxSockets ?? 50 };
  const config: S3ClientConfig = {
    region: aws.region,
    forcePathStyle: aws.forcePathStyle,
    customUserAgent: options.userAgent ?? 'cloud-sync',
    maxAttempts: sdkMaxAttempts,
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 120_000,
      httpAgent: agent,
      httpsAgent: agent,
    },
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(hasId && hasSecret
      ? {
          credentials: {
            accessKeyId: aws.accessKeyId as string,
            secretAccessKey: aws.secretAccessKey as string,
          },
        }
      : {}),
  };
  return new S3Client(config);
}

export interface RequestCounter {
  /** HTTP requests sent, by operation name ("PutObject", "UploadPart", …), retries included. */
  readonly counts: Record<string, number>;
  total(): number;
  reset(): void;
  /** Removes the middleware from the client. */
  detach(): void;
}

let counterId = 0;

/**
 * Counts the requests a client really sends (each attempt, measured inside the SDK's retry
 * loop), for tests and benchmarks that promise a number of requests.
 */
export function countRequests(client: S3Client): RequestCounter {
  const counts: Record<string, number> = {};
  const name = `cloudSyncRequestCounter${++counterId}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
      counts[op] = (counts[op] ?? 0) + 1;
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name },
  );
  return {
    counts,
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => {
      for (const k of Object.keys(counts)) delete counts[k];
    },
    detach: () => {
      client.middlewareStack.remove(name);
    },
  };
}
