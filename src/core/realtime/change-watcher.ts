import type { TokenProvider } from '../auth/token-provider.js';
import { systemClock, type Clock } from '../clock.js';
import { AuthError, SyncError, isAbortError } from '../errors.js';
import { DEFAULT_USER_AGENT } from '../graph/client.js';
import { GraphHttp } from '../graph/http.js';
import { redact } from '../log/redact.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { Pacer } from '../net/pacer.js';
import { connectSocketIo, type ConnectChannel, type NotificationChannel } from './channel.js';
import { fetchSubscription, type SocketIoSubscription } from './subscription.js';

export interface ChangeWatcherOptions {
  /** Graph base URL (config `[onedrive] graph_url`). */
  graphUrl: string;
  tokens: TokenProvider;
  /** Called (debounced) when OneDrive signals a change, and once after a reconnection. */
  onChange: () => void;
  clock?: Clock;
  logger?: Logger;
  /** Opens the socket.io connection. Default: socket.io-client. */
  connect?: ConnectChannel;
  /** Notifications within this long of the first one make one `onChange`. Default 10 000 ms. */
  debounceMs?: number;
  /** Pacer for the subscription request. Default: its own, one attempt per try. */
  pacer?: Pacer;
  fetch?: typeof fetch;
  userAgent?: string;
  /** First reconnection delay; doubles per failure up to `maxBackoffMs`. Default 2 000 ms. */
  minBackoffMs?: number;
  /** Default 300 000 ms. */
  maxBackoffMs?: number;
  /** Wait after an authorization failure (`retryNow()` cuts it short). Default 900 000 ms. */
  authRetryMs?: number;
  /** A connection that lasted this long resets the back-off. Default 60 000 ms. */
  stableMs?: number;
  /** Renew the subscription this long before it expires. Default 120 000 ms. */
  renewBeforeMs?: number;
  /** Longest wait for the subscription request and for a connection. Default 30 000 ms. */
  timeoutMs?: number;
  /** One change signal after a reconnection, for changes missed while away. Default true. */
  catchUpOnReconnect?: boolean;
  /** Jitter source in [0,1). Default Math.random. */
  random?: () => number;
}

export interface ChangeWatcherStats {
  notifications: number;
  changes: number;
  connections: number;
  failures: number;
}

type SessionEnd = { kind: 'closed'; reason: string } | { kind: 'stopped' };

/**
 * Near-real-time rounds: listens to OneDrive's socket.io change notifications and calls
 * `onChange` shortly after a change (a burst makes one call). Keeps itself connected — a
 * dropped or expired connection is replaced with a fresh subscription, with back-off — and
 * never throws into its caller; the scheduler's timer stays the fallback while it is away.
 */
export class ChangeWatcher {
  private readonly opts: Required<
    Omit<ChangeWatcherOptions, 'pacer' | 'fetch' | 'clock' | 'logger' | 'connect'>
  >;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly connect: ConnectChannel;
  private readonly http: GraphHttp;
  private readonly base: string;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private channel: NotificationChannel | undefined;
  private wake: AbortController | undefined;
  private debounce: AbortController | undefined;
  private failures = 0;
  private readonly counts: ChangeWatcherStats = {
    notifications: 0,
    changes: 0,
    connections: 0,
    failures: 0,
  };

  constructor(options: ChangeWatcherOptions) {
    let base: URL;
    try {
      base = new URL(options.graphUrl);
    } catch {
      throw new TypeError(`Expected \`graphUrl\` to be an absolute URL, got "${options.graphUrl}"`);
    }
    this.base = base.href.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.connect = options.connect ?? connectSocketIo;
    this.opts = {
      graphUrl: this.base,
      tokens: options.tokens,
      onChange: options.onChange,
      debounceMs: duration('debounceMs', options.debounceMs ?? 10_000),
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      minBackoffMs: duration('minBackoffMs', options.minBackoffMs ?? 2_000),
      maxBackoffMs: duration('maxBackoffMs', options.maxBackoffMs ?? 300_000),
      authRetryMs: duration('authRetryMs', options.authRetryMs ?? 900_000),
      stableMs: duration('stableMs', options.stableMs ?? 60_000),
      renewBeforeMs: duration('renewBeforeMs', options.renewBeforeMs ?? 120_000),
      timeoutMs: duration('timeoutMs', options.timeoutMs ?? 30_000),
      catchUpOnReconnect: options.catchUpOnReconnect ?? true,
      random: options.random ?? Math.random,
    };
    this.http = new GraphHttp({
      fetch: options.fetch ?? globalThis.fetch,
      tokens: options.tokens,
      pacer: options.pacer ?? new Pacer({ service: 'graph', clock: this.clock, maxAttempts: 1 }),
      clock: this.clock,
      logger: this.logger,
      userAgent: this.opts.userAgent,
      requestTimeoutMs: this.opts.timeoutMs,
    });
  }

  /** Whether a notification connection is open right now. */
  get connected(): boolean {
    return this.channel !== undefined;
  }

  get stats(): ChangeWatcherStats {
    return { ...this.counts };
  }

  /** Starts listening in the background. Calling it again (or after `stop()`) does nothing. */
  start(): void {
    if (this.loop || this.stopping.signal.aborted) return;
    this.loop = this.run().catch((error: unknown) => {
      // run() handles its own failures; this is the last guard of "never throws".
      this.logger.error(`realtime: watcher ended unexpectedly: ${this.describe(error)}`);
    });
  }

  /** Skips a back-off in progress, e.g. right after the person authorized again. */
  retryNow(): void {
    this.wake?.abort();
  }

  /** Closes the connection; no `onChange` is called afterwards. */
  async stop(): Promise<void> {
    this.stopping.abort(new DOMException('change watcher stopped', 'AbortError'));
    this.debounce?.abort();
    this.channel?.close();
    this.channel = undefined;
    await this.loop;
  }

  private async run(): Promise<void> {
    let connectedBefore = false;
    while (!this.stopping.signal.aborted) {
      let session: { subscription: SocketIoSubscription; channel: NotificationChannel };
      let ended: Promise<SessionEnd>;
      try {
        ({ session, ended } = await this.open());
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        await this.backOff(error);
        continue;
      }
      if (connectedBefore && this.opts.catchUpOnReconnect) this.notified();
      connectedBefore = true;
      const since = this.clock.now();
      const end = await this.listen(session, ended);
      if (end.kind === 'stopped') return;
      // A connection that held for a while was healthy: start the back-off afresh.
      if (this.clock.now() - since >= this.opts.stableMs) this.failures = 0;
      await this.backOff(new Error(`connection closed (${end.reason})`));
    }
  }

  /** One subscription and its open connection; `ended` settles when the connection closes. */
  private async open(): Promise<{
    session: { subscription: SocketIoSubscription; channel: NotificationChannel };
    ended: Promise<SessionEnd>;
  }> {
    const signal = this.stopping.signal;
    const subscription = await fetchSubscription(this.http, this.base, signal);
    let closed!: (end: SessionEnd) => void;
    const ended = new Promise<SessionEnd>((resolve) => (closed = resolve));
    const channel = await this.connect(
      subscription.notificationUrl,
      {
        onNotification: () => this.notified(),
        onClose: (reason) => closed({ kind: 'closed', reason }),
      },
      { signal, timeoutMs: this.opts.timeoutMs, userAgent: this.opts.userAgent },
    ).catch((error: unknown) => {
      throw this.scrubbed(error, subscription.notificationUrl);
    });
    if (signal.aborted) {
      channel.close();
      throw signal.reason;
    }
    this.channel = channel;
    this.counts.connections++;
    this.logger.info('realtime: listening for OneDrive change notifications');
    return { session: { subscription, channel }, ended };
  }

  /**
   * Waits for the connection to end or for stop; renews the subscription shortly before it
   * expires, opening the new connection before closing the old so nothing falls in between.
   */
  private async listen(
    session: { subscription: SocketIoSubscription; channel: NotificationChannel },
    ended: Promise<SessionEnd>,
  ): Promise<SessionEnd> {
    let onStop = (): void => undefined;
    const stopped = new Promise<SessionEnd>((resolve) => {
      onStop = () => resolve({ kind: 'stopped' });
    });
    const signal = this.stopping.signal;
    if (signal.aborted) onStop();
    signal.addEventListener('abort', onStop, { once: true });
    try {
      return await this.renewing(session, ended, stopped);
    } finally {
      signal.removeEventListener('abort', onStop);
    }
  }

  private async renewing(
    session: { subscription: SocketIoSubscription; channel: NotificationChannel },
    ended: Promise<SessionEnd>,
    stopped: Promise<SessionEnd>,
  ): Promise<SessionEnd> {
    let renewFailures = 0;
    for (;;) {
      const expiresAt = session.subscription.expiresAt;
      const timer = new AbortController();
      const renewal =
        expiresAt === undefined
          ? new Promise<never>(() => undefined)
          : this.clock
              .sleep(
                Math.max(0, expiresAt - this.opts.renewBeforeMs - this.clock.now()) +
                  (renewFailures > 0 ? this.backoffMs(renewFailures) : 0),
                timer.signal,
              )
              .then(() => ({ kind: 'renew' as const }));
      const outcome = await Promise.race([ended, stopped, renewal]).finally(() => timer.abort());
      if (outcome.kind !== 'renew') {
        if (this.channel === session.channel) this.channel = undefined;
        session.channel.close();
        if (outcome.kind === 'closed') {
          this.logger.warn(`realtime: notification connection closed (${outcome.reason})`);
        }
        return outcome;
      }
      try {
        const next = await this.open();
        session.channel.close();
        session = next.session;
        ended = next.ended;
        renewFailures = 0;
      } catch (error) {
        if (this.stopping.signal.aborted) return { kind: 'stopped' };
        renewFailures++;
        this.channel = session.channel;
        this.logger.debug(`realtime: renewing the subscription failed: ${this.describe(error)}`);
      }
    }
  }

  /** Waits before the next attempt: longer after each failure, longest after an auth failure. */
  private async backOff(error: unknown): Promise<void> {
    this.failures++;
    this.counts.failures++;
    const ms = this.delayAfter(error);
    const message = `realtime: change notifications unavailable (${this.describe(error)}); retrying in ${Math.ceil(ms / 1000)} s, scheduled rounds go on`;
    // One warning per streak (and every tenth), the rest at debug: a drive without realtime
    // support must not fill the log.
    if (this.failures === 1 || this.failures % 10 === 0) this.logger.warn(message);
    else this.logger.debug(message);
    const wake = new AbortController();
    this.wake = wake;
    const onStop = (): void => wake.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    try {
      if (!this.stopping.signal.aborted) await this.clock.sleep(ms, wake.signal);
    } catch {
      // woken early or stopped: the loop looks again
    } finally {
      this.stopping.signal.removeEventListener('abort', onStop);
      this.wake = undefined;
    }
  }

  private delayAfter(error: unknown): number {
    if (error instanceof AuthError) return this.opts.authRetryMs;
    const backoff = this.backoffMs(this.failures);
    if (error instanceof SyncError && error.retryAfterSeconds !== undefined) {
      return Math.max(backoff, error.retryAfterSeconds * 1000);
    }
    return backoff;
  }

  /** Exponential with "equal jitter": between half and all of the step. */
  private backoffMs(failures: number): number {
    const { minBackoffMs, maxBackoffMs, random } = this.opts;
    const step = Math.min(maxBackoffMs, minBackoffMs * 2 ** Math.max(0, failures - 1));
    return Math.round(step / 2 + (random() * step) / 2);
  }

  /** A notification: the first of a burst starts the debounce window, the rest join it. */
  private notified(): void {
    this.counts.notifications++;
    if (this.debounce || this.stopping.signal.aborted) return;
    const timer = new AbortController();
    this.debounce = timer;
    this.clock.sleep(this.opts.debounceMs, timer.signal).then(
      () => {
        this.debounce = undefined;
        if (this.stopping.signal.aborted) return;
        this.counts.changes++;
        try {
          this.opts.onChange();
        } catch (error) {
          this.logger.warn(`realtime: the change listener failed: ${this.describe(error)}`);
        }
      },
      () => {
        this.debounce = undefined;
      },
    );
  }

  /** Connection errors may quote the URL; its query is a credential. */
  private scrubbed(error: unknown, notificationUrl: string): Error {
    if (isAbortError(error)) return error as Error;
    const text = error instanceof Error ? error.message : String(error);
    const out = new Error(scrub(text, notificationUrl));
    out.name = error instanceof Error ? error.name : 'Error';
    return out;
  }

  private describe(error: unknown): string {
    return redact(error instanceof Error ? error.message : String(error));
  }
}

/** Removes a URL, and every value in its query, from a text. */
export function scrub(text: string, url: string): string {
  let out = text.split(url).join('[notificationUrl]');
  try {
    for (const value of new URL(url).searchParams.values()) {
      if (value.length >= 4) out = out.split(value).join('[redacted]');
    }
  } catch {
    // not a URL: nothing more to remove
  }
  return out;
}

function duration(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a number of milliseconds ≥ 0, got ${value}`);
  }
  return value;
}
