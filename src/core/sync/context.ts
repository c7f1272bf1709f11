import type { ItemFailure } from '../../shared/events.js';
import type { Clock } from '../clock.js';
import type { DeletePolicy } from '../config/types.js';
import { SyncError, serializeError } from '../errors.js';
import type { DriveSource } from '../graph/types.js';
import type { Logger } from '../log/logger.js';
import { redact } from '../log/redact.js';
import type { BackupTarget } from '../s3/types.js';
import type { Db } from '../store/db.js';
import type { ProgressTracker } from './progress.js';

/** The settings a round runs with (from config.toml; see config.example.toml for each). */
export interface EngineSettings {
  prefix: string;
  deletePolicy: DeletePolicy;
  trashPrefix: string;
  concurrency: number;
  maxDelete: number;
  maxDeleteShare: number;
  /** Attempts per action within one round for retryable errors (first included). Default 3. */
  maxAttempts: number;
  /** Pause before the n-th retry: n × this. Default 2000 ms. */
  retryDelayMs: number;
}

/** Everything one round's executor needs, passed down rather than held in module state. */
export interface RoundContext {
  db: Db;
  source: DriveSource;
  target: BackupTarget;
  clock: Clock;
  logger: Logger;
  tracker: ProgressTracker;
  settings: EngineSettings;
  signal: AbortSignal | undefined;
  now(): string;
  /** Keys and sizes under the prefix, listed once per round and only if adoption needs them. */
  listing(): Promise<Map<string, number>>;
}

/** Completes a context with the lazy, once-per-round listing adoption uses. */
export function makeRoundContext(base: Omit<RoundContext, 'listing'>): RoundContext {
  let listing: Promise<Map<string, number>> | undefined;
  return {
    ...base,
    listing: () =>
      (listing ??= (async () => {
        const map = new Map<string, number>();
        for await (const o of base.target.list(base.settings.prefix, base.signal)) {
          map.set(o.key, o.size);
        }
        return map;
      })().catch((error: unknown) => {
        // A failed listing is not kept: the next adoption check (or retry) lists again.
        listing = undefined;
        throw error;
      })),
  };
}

/** A key below the prefix: how the summary and events name an item. */
export function pathOfKey(settings: EngineSettings, key: string): string {
  return key.startsWith(settings.prefix) ? key.slice(settings.prefix.length) : key;
}

export function isRetryable(error: unknown): boolean {
  return error instanceof SyncError && error.kind === 'retryable';
}

export function isFatal(error: unknown): boolean {
  return error instanceof SyncError && error.kind === 'fatal';
}

/** An error as the summary shows it: message without secrets, code, and a hint if a person can act. */
export function failureOf(error: unknown, path: string, itemId: string): ItemFailure {
  const s = serializeError(error);
  return {
    path,
    itemId,
    message: redact(s.message),
    code: s.code,
    ...(s.hint ? { hint: s.hint } : hintFor(s.code)),
  };
}

function hintFor(code: string): { hint?: string } {
  if (code === 'hash-mismatch') {
    return { hint: 'The file changed while it was being copied; the next round tries again.' };
  }
  return {};
}
