import { SyncError, isAbortError } from '../errors.js';
import { redact } from '../log/redact.js';

/** S3's error code for whatever the SDK threw ("AccessDenied", "NoSuchKey", "403"). */
export function s3Code(error: unknown): string {
  const e = error as { Code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number } };
  for (const v of [e?.Code, e?.name]) {
    if (typeof v === 'string' && v !== '' && v !== 'Error' && v !== 'UnknownError') return v;
  }
  return String(e?.$metadata?.httpStatusCode ?? 'Unknown');
}

const DENIED = new Set(['AccessDenied', 'Forbidden', 'AllAccessDisabled', '403']);
const CREDENTIALS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'CredentialsProviderError',
]);

export interface S3Call {
  /** The API call, e.g. "GetBucketLifecycleConfiguration". */
  op: string;
  /** The IAM action it needs, e.g. "s3:GetLifecycleConfiguration". */
  permission: string;
  bucket: string;
  key?: string;
  /** Whether a refusal stops everything (bucket-level calls) or only fails one object. */
  deniedIsFatal: boolean;
}

/**
 * An SDK error as a SyncError saying what to do. The message names the call, bucket and key;
 * a refusal names the missing IAM permission, since that is what a person has to add.
 */
export function s3Failure(error: unknown, call: S3Call): unknown {
  if (error instanceof SyncError || isAbortError(error)) return error;
  const code = s3Code(error);
  const text = error instanceof Error && error.message !== code ? `: ${error.message}` : '';
  const where = `${call.op}${call.key === undefined ? '' : ` "${call.key}"`} in bucket "${call.bucket}"`;
  const message = redact(`S3 ${where} failed (${code}${text})`);
  if (DENIED.has(code)) {
    const hint = `These credentials lack ${call.permission} on arn:aws:s3:::${call.bucket}: add it to the IAM policy.`;
    return new SyncError(call.deniedIsFatal ? 'fatal' : 'item', `${message}. ${hint}`, {
      code: 'access-denied',
      hint,
      cause: error,
    });
  }
  if (code === 'NoSuchBucket') {
    return new SyncError('fatal', message, {
      code: 'bucket-missing',
      hint: `Check [aws] bucket, region and endpoint in config.toml.`,
      cause: error,
    });
  }
  if (CREDENTIALS.has(code)) {
    return new SyncError('fatal', message, {
      code: 'bad-credentials',
      hint: 'Check [aws] access_key_id / secret_access_key (or the AWS credential chain).',
      cause: error,
    });
  }
  return new SyncError('item', message, { code: 's3-error', cause: error });
}
