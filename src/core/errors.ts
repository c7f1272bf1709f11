/**
 * Errors say what the caller should do with them (rclone's fserrors habit):
 *  - retryable: try again after a pause (network blips, 5xx, throttling)
 *  - item: this one item fails, the round goes on
 *  - fatal: stop the round (configuration, authorization, bucket missing)
 * The original error stays attached as `cause`; `hint` is for a person who can act.
 */
export type ErrorKind = 'retryable' | 'item' | 'fatal' | 'cancelled';

export interface SerializedError {
  name: string;
  message: string;
  code: string;
  kind: ErrorKind;
  hint?: string;
}

export interface SyncErrorOptions {
  code: string;
  hint?: string;
  cause?: unknown;
  /** Seconds a server asked us to wait before the next request. */
  retryAfterSeconds?: number;
}

export class SyncError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly hint: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ErrorKind, message: string, options: SyncErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SyncError';
    this.kind = kind;
    this.code = options.code;
    this.hint = options.hint;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toJSON(): SerializedError {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      kind: this.kind,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
    };
  }
}

export const retryable = (message: string, options: SyncErrorOptions): SyncError =>
  new SyncError('retryable', message, options);
export const itemError = (message: string, options: SyncErrorOptions): SyncError =>
  new SyncError('item', message, options);
export const fatal = (message: string, options: SyncErrorOptions): SyncError =>
  new SyncError('fatal', message, options);

/** Configuration problems: exit code 2, the message names file, line, key and expectation. */
export class ConfigError extends SyncError {
  /** Warnings gathered before the error (e.g. an unknown key that explains a missing one). */
  warnings: Array<{ file: string; line: number | undefined; message: string }> = [];

  constructor(message: string, options: Omit<SyncErrorOptions, 'code'> & { code?: string } = {}) {
    super('fatal', message, { code: options.code ?? 'config', ...options });
    this.name = 'ConfigError';
  }
}

/** Authorization is missing or can no longer be refreshed silently: exit code 2. */
export class AuthError extends SyncError {
  constructor(message: string, options: Omit<SyncErrorOptions, 'code'> & { code?: string } = {}) {
    super('fatal', message, {
      code: options.code ?? 'needs-authorization',
      hint: options.hint ?? 'Run `cloud-sync authorize` (or "Authorize OneDrive…" in the tray).',
      ...options,
    });
    this.name = 'AuthError';
  }
}

export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || (error instanceof SyncError && error.kind === 'cancelled'))
  );
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof SyncError) return error.toJSON();
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : 'unknown',
      kind: isAbortError(error) ? 'cancelled' : 'item',
    };
  }
  return { name: 'Error', message: String(error), code: 'unknown', kind: 'item' };
}
