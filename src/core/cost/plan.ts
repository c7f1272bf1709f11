import type { ActionKind } from '../../shared/events.js';
import type { StorageClass } from '../config/types.js';
import { partCount, partSizeFor } from '../s3/context.js';
import type { CostInput, RequestType } from './estimate.js';

export interface PlannedWork {
  action: ActionKind;
  bytes: number;
  retire?: boolean;
}

export interface PlanCostOptions {
  storageClass: StorageClass;
  multipartThresholdBytes: number;
}

const DEFAULT_PART = 8 * 1024 * 1024;

/**
 * The S3 requests a planned round would make, as S3 bills them: a small upload is one PUT, a
 * large one a Create + Complete (POST) around its parts; copies and metadata rewrites are
 * COPYs; trash is a COPY plus a DELETE. Downloads from OneDrive cost nothing on the bucket.
 */
export function planCostInput(actions: PlannedWork[], options: PlanCostOptions): CostInput {
  const requests: Partial<Record<RequestType, number>> = {};
  const add = (type: RequestType, n = 1): void => {
    requests[type] = (requests[type] ?? 0) + n;
  };
  let bytesAdded = 0;
  let bytesRemoved = 0;
  let objectsAdded = 0;
  let objectsRemoved = 0;
  for (const a of actions) {
    switch (a.action) {
      case 'upload':
        if (a.bytes >= options.multipartThresholdBytes) {
          add('POST', 2);
          add('PART', partCount(a.bytes, partSizeFor(a.bytes, DEFAULT_PART)));
        } else {
          add('PUT');
        }
        bytesAdded += a.bytes;
        objectsAdded++;
        break;
      case 'copy':
        // A moved file: a new object now, the old one stays or goes with the delete policy.
        add('COPY');
        bytesAdded += a.bytes;
        objectsAdded++;
        break;
      case 'metadata':
        add('COPY');
        break;
      case 'trash':
        add('COPY');
        add('DELETE');
        break;
      case 'delete':
        add('DELETE');
        bytesRemoved += a.bytes;
        objectsRemoved++;
        break;
      default:
        break;
    }
  }
  return {
    storageClass: options.storageClass,
    requests,
    bytesAdded,
    bytesRemoved,
    objectsAdded,
    objectsRemoved,
  };
}
