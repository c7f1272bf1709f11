import { systemClock, type Clock } from '../clock.js';
import { AuthError, SyncError, isAbortError } from '../errors.js';
import { GraphHttp } from '../graph/http.js';
import { redact } from '../log/redact.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { Pacer } from '../net/pacer.js';
import {
  connectSocketIo,
  scrub,
  type ConnectChannel,
  type NotificationChannel,
} from './channel.js';
import { Debouncer, backoffMs } from './debounce.js';
import {
  resolveOptions,
  type ChangeWatcherOptions,
  type ChangeWatcherStats,
  type ResolvedOptions,
} from './options.js';
import { fetchSubscription, type SocketIoSubscription } from './subscription.js';

type SessionEnd = { kind: 'closed'; reason: string } | { kind: 'stopped' };
type Session = { subscription: SocketIoSubscription; channel: NotificationChannel };

/** However soon a subscription says it expires (or a skewed clock makes it seem), renew no faster. */
const MIN_RENEW_MS = 60_000;

/**
 * Near-real-time rounds: listens to OneDrive's socket.io change notifications and calls
 * `onChange` shortly after a change (a burst makes one call). Keeps itself connected — a
 * dropped or expired connection is replaced with a fresh subscription, with back-off — and
 * never throws into its caller; the scheduler's timer stays the fallback while it is away.
 */
export class ChangeWatcher {
  private readonly opts: ResolvedOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly connect: ConnectChannel;
  private readonly http: GraphHttp;
  private readonly base: string;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private channel: NotificationChannel | undefined;
  private wake: AbortController | undefined;
  private readonly debounce: Debouncer;
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
    this.opts = resolveOptions(options, this.base);
    this.http = new GraphHttp({
      fetch: options.fetch ?? globalThis.fetch,
      tokens: options.tokens,
      pacer: options.pacer ?? new Pacer({ service: 'graph', clock: this.clock, maxAttempts: 1 }),
      clock: this.clock,
      logger: this.logger,
      userAgent: this.opts.userAgent,
      requestTimeoutMs: this.opts.timeoutMs,
    });
    this.debounce = new Debouncer(this.clock, this.opts.debounceMs, () => this.changed());
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
    this.debounce.cancel();
    this.channel?.close();
    this.channel = undefined;
    await this.loop;
  }

  private async run(): Promise<void> {
    let connectedBefore = false;
    while (!this.stopping.signal.aborted) {
      let session: Session;
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
    session: Session;
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
  private async listen(session: Session, ended: Promise<SessionEnd>): Promise<SessionEnd> {
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
    session: Session,
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
                Math.max(MIN_RENEW_MS, expiresAt - this.opts.renewBeforeMs - this.clock.now()) +
                  (renewFailures > 0 ? this.backoff(renewFailures) : 0),
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
    const backoff = this.backoff(this.failures);
    if (error instanceof SyncError && error.retryAfterSeconds !== undefined) {
      return Math.max(backoff, error.retryAfterSeconds * 1000);
    }
    return backoff;
  }

  private backoff(failures: number): number {
    const { minBackoffMs: minMs, maxBackoffMs: maxMs, random } = this.opts;
    return backoffMs(failures, { minMs, maxMs, random });
  }

  /** A notification: the first of a burst opens the debounce window, the rest join it. */
  private notified(): void {
    this.counts.notifications++;
    if (!this.stopping.signal.aborted) this.debounce.signal();
  }

  private changed(): void {
    this.counts.changes++;
    try {
      this.opts.onChange();
    } catch (error) {
      this.logger.warn(`realtime: the change listener failed: ${this.describe(error)}`);
    }
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
