import { systemClock, type Clock } from '../clock.js';
import { SyncError } from '../errors.js';

/**
 * What to do after a failed attempt. `retryAfterMs` set = the server throttled us: every caller
 * of this pacer waits that long (Microsoft blocks clients that keep going while throttled).
 */
export type Verdict = { retry: false } | { retry: true; retryAfterMs?: number };

export interface PacerOptions {
  /** Service name for events and messages ("graph", "s3"). */
  service: 'graph' | 's3' | 'auth' | 'mail';
  clock?: Clock;
  /** Attempts per call, first included. Default 6. */
  maxAttempts?: number;
  /** First back-off step in ms (doubles each attempt, full jitter). Default 500. */
  baseDelayMs?: number;
  /** Ceiling of one back-off step in ms. Default 60 000. */
  maxDelayMs?: number;
  /** Random source in [0,1), injectable for reproducible tests. */
  random?: () => number;
  /** Told each time the service asks everyone to pause. */
  onThrottle?: (retryAfterMs: number) => void;
}

/**
 * One pacer per service, shared by all its workers (rclone's lib/pacer habit). p-retry and
 * friends retry one call at a time; what Graph asks for is a pause across all callers, so the
 * shared gate is written here and the loop around it stays small.
 */
export class Pacer {
  private pausedUntil = 0;
  private attempts = 0;
  private throttles = 0;
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(private readonly options: PacerOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.random = options.random ?? Math.random;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new TypeError(
        `Expected \`maxAttempts\` to be a whole number >= 1, got ${this.maxAttempts}`,
      );
    }
  }

  get stats(): { attempts: number; throttles: number; pausedUntil: number } {
    return { attempts: this.attempts, throttles: this.throttles, pausedUntil: this.pausedUntil };
  }

  /** Pauses every caller until `until` (epoch ms), if that is later than the current pause. */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Waits out any pause in force; loops because another caller may extend it meanwhile. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.pausedUntil - this.clock.now();
      if (wait <= 0) return;
      await this.clock.sleep(wait, signal);
    }
  }

  /**
   * Runs `fn` until it succeeds, `classify` says not to retry, or attempts run out. The last
   * error is rethrown as it was (its kind tells the caller what to do next).
   */
  async call<T>(
    fn: (attempt: number) => Promise<T>,
    classify: (error: unknown) => Verdict,
    signal?: AbortSignal,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.ready(signal);
      signal?.throwIfAborted();
      this.attempts++;
      try {
        return await fn(attempt);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const verdict = classify(error);
        if (!verdict.retry || attempt >= this.maxAttempts) throw error;
        if (verdict.retryAfterMs !== undefined) {
          this.throttles++;
          this.pauseUntil(this.clock.now() + verdict.retryAfterMs);
          this.options.onThrottle?.(verdict.retryAfterMs);
        } else {
          const step = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
          await this.clock.sleep(Math.floor(this.random() * step), signal);
        }
      }
    }
  }
}

/** Reads Retry-After (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Default classification for SyncErrors thrown by our own clients. */
export function classifySyncError(error: unknown): Verdict {
  if (error instanceof SyncError && error.kind === 'retryable') {
    return error.retryAfterSeconds === undefined
      ? { retry: true }
      : { retry: true, retryAfterMs: error.retryAfterSeconds * 1000 };
  }
  return { retry: false };
}
