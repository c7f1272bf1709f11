import { SyncError, isAbortError, type ErrorKind } from '../errors.js';
import { redact } from '../log/redact.js';
import { parseRetryAfter } from '../net/pacer.js';

/** The S3 operations the target issues; each maps to the IAM permission it needs. */
export type S3Op =
  | 'PutObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'CopyObject'
  | 'UploadPartCopy'
  | 'DeleteObjects'
  | 'ListObjectsV2'
  | 'HeadObject'
  | 'ListMultipartUploads';

const PERMISSION: Record<S3Op, string> = {
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
  CopyObject: 's3:GetObject (source) and s3:PutObject (target)',
  UploadPartCopy: 's3:GetObject (source) and s3:PutObject (target)',
  DeleteObjects: 's3:DeleteObject',
  ListObjectsV2: 's3:ListBucket',
  // Without ListBucket, S3 answers a HEAD of a missing key with 403 instead of 404.
  HeadObject: 's3:GetObject and s3:ListBucket',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
};

/** Codes S3 (or a proxy in front of it) uses for "slow down / try again". */
const THROTTLE = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
]);
const TRANSIENT = new Set([
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'OperationAborted',
  'PriorRequestNotComplete',
  'TimeoutError',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Not-found codes the engine may act on (e.g. a copy whose source vanished falls back to upload). */
export const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchUpload']);

/** A classified S3 failure. `s3Code` is S3's own code ("NoSuchKey"), `code` ours ("not-found"). */
export class S3Error extends SyncError {
  readonly s3Code: string;
  readonly status: number | undefined;
  readonly op: S3Op;

  constructor(
    kind: ErrorKind,
    message: string,
    details: {
      code: string;
      s3Code: string;
      status: number | undefined;
      op: S3Op;
      hint?: string;
      cause: unknown;
      retryAfterSeconds?: number;
    },
  ) {
    super(kind, message, details);
    this.name = 'S3Error';
    this.s3Code = details.s3Code;
    this.status = details.status;
    this.op = details.op;
  }
}

export interface S3ErrorContext {
  op: S3Op;
  bucket: string;
  key?: string | undefined;
  /** SSE-KMS in use: AccessDenied may then be about the KMS key. */
  kms?: boolean;
}

interface Shape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

function describe(error: unknown): { code: string; status: number | undefined; text: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as Shape;
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const named = [e.Code, e.code, e.name].find(
    (v): v is string => typeof v === 'string' && v !== '' && v !== 'Error' && v !== 'UnknownError',
  );
  const text = typeof e.message === 'string' ? e.message : String(error);
  return { code: named ?? (status ? String(status) : 'Unknown'), status, text };
}

function retryAfterOf(error: unknown): number | undefined {
  const headers = (error as Shape | undefined)?.$response?.headers;
  const ms = parseRetryAfter(headers?.['retry-after'] ?? headers?.['Retry-After'], Date.now());
  return ms === undefined ? undefined : ms / 1000;
}

/**
 * Turns whatever the SDK threw into an S3Error saying what to do: retry (throttling, 5xx,
 * network), stop the round (bucket, credentials, permissions), or fail this item. Cancellation
 * and already-classified errors pass through unchanged. Messages carry the operation, bucket and
 * key, never request URLs or credentials.
 */
export function toS3Error(error: unknown, ctx: S3ErrorContext): unknown {
  if (error instanceof SyncError || isAbortError(error)) return error;
  const { code, status, text } = describe(error);
  const where = `${ctx.op}${ctx.key === undefined ? '' : ` "${ctx.key}"`} in bucket "${ctx.bucket}"`;
  const detail = text && text !== code && text !== 'UnknownError' ? `: ${text}` : '';
  const message = redact(`S3 ${where} failed (${code}${detail})`);
  const make = (kind: ErrorKind, ours: string, hint?: string): S3Error => {
    const retryAfterSeconds = kind === 'retryable' ? retryAfterOf(error) : undefined;
    return new S3Error(kind, message, {
      code: ours,
      s3Code: code,
      status,
      op: ctx.op,
      cause: error,
      ...(hint === undefined ? {} : { hint }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  };
  const fatalHint = fatalFor(code, status, ctx);
  if (fatalHint) return make('fatal', fatalHint.code, fatalHint.hint);
  if (THROTTLE.has(code) || status === 429 || status === 503)
    return make('retryable', 's3-throttled');
  if (code === 'RequestTimeTooSkewed') {
    // The SDK corrects its clock offset from the failed response, so a retry usually succeeds.
    return make('retryable', 'clock-skew', "Check this computer's clock and time zone.");
  }
  if (TRANSIENT.has(code) || (status !== undefined && status >= 500)) {
    return make('retryable', 's3-unavailable');
  }
  if (NETWORK.has(code) || /socket hang up|ECONNRESET|network/i.test(text)) {
    return make('retryable', 'network');
  }
  if (NOT_FOUND.has(code) || (status === 404 && code === '404')) return make('item', 'not-found');
  return make('item', 's3-error');
}

function fatalFor(
  code: string,
  status: number | undefined,
  ctx: S3ErrorContext,
): { code: string; hint: string } | undefined {
  const bucket = ctx.bucket;
  switch (code) {
    case 'NoSuchBucket':
      return {
        code: 'bucket-missing',
        hint: `The bucket "${bucket}" does not exist at this endpoint/region: check [aws] bucket and region in config.toml, or create the bucket.`,
      };
    case 'AccessDenied':
    case 'Forbidden':
    case 'AllAccessDisabled':
      return {
        code: 'access-denied',
        hint:
          `Allow ${PERMISSION[ctx.op]} on arn:aws:s3:::${bucket}/* for these credentials (IAM policy or bucket policy).` +
          (ctx.kms
            ? ' With SSE-KMS the key policy must also allow kms:GenerateDataKey and kms:Decrypt.'
            : ''),
      };
    case 'InvalidAccessKeyId':
      return {
        code: 'bad-credentials',
        hint: 'S3 does not know this access key: check [aws] access_key_id (or AWS_ACCESS_KEY_ID).',
      };
    case 'SignatureDoesNotMatch':
      return {
        code: 'bad-credentials',
        hint: 'The secret does not match the access key: check [aws] secret_access_key (or AWS_SECRET_ACCESS_KEY).',
      };
    case 'ExpiredToken':
    case 'InvalidToken':
    case 'TokenRefreshRequired':
      return {
        code: 'bad-credentials',
        hint: 'The temporary AWS credentials expired or are invalid: refresh them (e.g. aws sso login) or configure long-lived keys.',
      };
    case 'CredentialsProviderError':
      return {
        code: 'no-credentials',
        hint: 'No AWS credentials found: set [aws] access_key_id and secret_access_key, or provide them via AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws/credentials or an instance role.',
      };
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
      return {
        code: 'wrong-region',
        hint: `The bucket "${bucket}" lives in another region: set [aws] region to the bucket's region.`,
      };
    case 'InvalidStorageClass':
      return { code: 'config', hint: 'Check [aws] storage_class: this endpoint refuses it.' };
    case 'InvalidEncryptionAlgorithmError':
      return { code: 'config', hint: 'Check [aws] sse: this endpoint refuses it.' };
    case 'AccountProblem':
    case 'NotSignedUp':
      return {
        code: 'account',
        hint: 'The AWS account cannot use S3 right now: check it in the AWS console.',
      };
  }
  if (code.startsWith('KMS.') || code === 'KMSKeyNotFoundException') {
    return {
      code: 'kms',
      hint: "Check [aws] kms_key_id: the key must exist in the bucket's region, be enabled, and allow these credentials kms:GenerateDataKey and kms:Decrypt.",
    };
  }
  if (status === 403 && code === '403') {
    return {
      code: 'access-denied',
      hint: `Allow ${PERMISSION[ctx.op]} on arn:aws:s3:::${bucket}/* for these credentials.`,
    };
  }
  return undefined;
}

/** True for "no such object/upload" as classified above. */
export function isNotFound(error: unknown): boolean {
  return error instanceof S3Error && error.code === 'not-found';
}
