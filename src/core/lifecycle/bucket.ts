import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  type S3Client,
  type TransitionDefaultMinimumObjectSize,
} from '@aws-sdk/client-s3';
import { s3Code, s3Failure } from '../restore/errors.js';
import { versioningStatus } from '../restore/listing.js';

export interface BucketLifecycleState {
  rules: LifecycleRule[];
  /** Kept as the bucket has it when we write the merged rules back. */
  transitionDefaultMinimumObjectSize: TransitionDefaultMinimumObjectSize | undefined;
  versioning: 'Enabled' | 'Suspended' | undefined;
}

/** Reads and writes one bucket's lifecycle configuration. */
export class BucketLifecycle {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly signal?: AbortSignal,
  ) {}

  async read(): Promise<BucketLifecycleState> {
    const versioning = await versioningStatus({
      client: this.client,
      bucket: this.bucket,
      signal: this.signal,
    });
    try {
      const answer = await this.client.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: this.bucket }),
        { abortSignal: this.signal },
      );
      return {
        rules: answer.Rules ?? [],
        transitionDefaultMinimumObjectSize: answer.TransitionDefaultMinimumObjectSize,
        versioning,
      };
    } catch (error) {
      // A bucket that never had rules answers 404 NoSuchLifecycleConfiguration.
      if (s3Code(error) === 'NoSuchLifecycleConfiguration') {
        return { rules: [], transitionDefaultMinimumObjectSize: undefined, versioning };
      }
      throw s3Failure(error, {
        op: 'GetBucketLifecycleConfiguration',
        permission: 's3:GetLifecycleConfiguration',
        bucket: this.bucket,
        deniedIsFatal: true,
      });
    }
  }

  /** Replaces the whole configuration (S3 has no per-rule update): pass every rule to keep. */
  async write(rules: LifecycleRule[], previous: BucketLifecycleState): Promise<void> {
    try {
      await this.client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: this.bucket,
          LifecycleConfiguration: { Rules: rules },
          TransitionDefaultMinimumObjectSize: previous.transitionDefaultMinimumObjectSize,
        }),
        { abortSignal: this.signal },
      );
    } catch (error) {
      throw s3Failure(error, {
        op: 'PutBucketLifecycleConfiguration',
        permission: 's3:PutLifecycleConfiguration',
        bucket: this.bucket,
        deniedIsFatal: true,
      });
    }
  }
}
