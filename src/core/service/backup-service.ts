import type { AccountInfo } from '../../shared/app-state.js';
import type { AuthState, EngineEvent, RoundSummary } from '../../shared/events.js';
import { authorizeDesktop } from '../auth/desktop-flow.js';
import { startAuthListener, type AuthListener } from '../auth/listener.js';
import type { MsalApp } from '../auth/msal-app.js';
import type { MsalTokenProvider } from '../auth/token-provider.js';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config/types.js';
import { AuthError, isAbortError } from '../errors.js';
import type { DriveSource } from '../graph/types.js';
import type { Logger } from '../log/logger.js';
import { Alerts } from '../notify/alerts.js';
import { ChangeWatcher } from '../realtime/change-watcher.js';
import type { MailTransport } from '../notify/transport.js';
import type { BackupTarget } from '../s3/types.js';
import { Scheduler, type TriggerReason } from '../schedule/scheduler.js';
import type { StateStore } from '../store/index.js';
import { SyncEngine } from '../sync/engine.js';
import { verifyBucket } from '../verify/verify.js';

export interface RoundRequest {
  full: boolean;
  /** Go ahead with a deletion the mass-delete guard stopped. */
  allowMassDelete?: boolean;
}

export interface BackupServiceDeps {
  config: Config;
  logger: Logger;
  store: StateStore;
  app: MsalApp;
  tokens: MsalTokenProvider;
  /** Built by the caller with throttle hooks that end in `notifyThrottled`. */
  source: DriveSource;
  target: BackupTarget;
  clock?: Clock;
  /** Alert mails; absent = no mail. */
  transport?: MailTransport;
  /** Opens a URL in the person's browser (desktop flow, or the Web flow's /grant). */
  openBrowser?: (url: string) => Promise<void>;
  /** Called once the last round has really ended, even past the stop's grace period. */
  onStopped?: () => void;
}

type Listener = (event: EngineEvent) => void;

/**
 * The whole product minus its face: engine, scheduler, OAuth listener, alert mails. The daemon
 * and the desktop app both run exactly this; they only differ in who listens to its events.
 */
export class BackupService {
  readonly engine: SyncEngine;
  readonly scheduler: Scheduler;
  private readonly clock: Clock;
  private readonly listeners = new Set<Listener>();
  private readonly changeListeners = new Set<() => void>();
  private alerts: Alerts | undefined;
  /** OneDrive's change notifications (`[onedrive] realtime`); the schedule stays the fallback. */
  private readonly watcher: ChangeWatcher | undefined;
  private listener: AuthListener | undefined;
  private request: RoundRequest = { full: false };
  private nextRun: Date | null = null;
  private authorized: (() => void) | undefined;
  private readonly ticker = new AbortController();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly deps: BackupServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    const { config, logger } = deps;
    this.engine = new SyncEngine({
      config,
      store: deps.store,
      source: deps.source,
      target: deps.target,
      clock: this.clock,
      logger,
    });
    this.unsubscribe.push(this.engine.on((e) => this.emit(e)));
    this.unsubscribe.push(
      deps.tokens.onState((state, detail) => {
        this.emit({
          type: 'auth',
          v: 1,
          at: this.iso(),
          state,
          ...(detail.account ? { account: detail.account } : {}),
          ...(detail.message ? { message: detail.message } : {}),
        });
        this.changed();
      }),
    );
    this.scheduler = new Scheduler({
      intervalMs: config.general.intervalMs,
      syncTime: config.general.syncTime,
      clock: this.clock,
      logger,
      runRound: (reason, signal) => this.round(reason, signal),
      verifyIntervalMs: config.general.verifyIntervalMs,
      runVerify: (signal) => this.verify(signal),
      onNextRun: (at) => {
        this.nextRun = at;
        this.changed();
      },
    });
    if (config.onedrive.realtime) {
      this.watcher = new ChangeWatcher({
        graphUrl: config.onedrive.graphUrl,
        tokens: deps.tokens,
        clock: this.clock,
        logger,
        onChange: () => this.scheduler.trigger('realtime'),
      });
    }
  }

  get account(): AccountInfo {
    const { aws } = this.deps.config;
    return {
      bucket: aws.bucket,
      prefix: aws.prefix,
      region: aws.region,
      ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
      flow: this.deps.app.flow,
    };
  }

  /** Where a person authorizes in the Web flow (the listener's /grant), once it runs. */
  get grantUrl(): string | undefined {
    return this.listener?.url;
  }

  get paused(): boolean {
    return this.scheduler.paused;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** OAuth listener (Web flow), then the schedule: the first round runs at once if authorized. */
  async start(): Promise<void> {
    const { config, app, logger, tokens } = this.deps;
    if (app.flow === 'web') {
      this.listener = await startAuthListener({
        config,
        app,
        logger,
        clock: this.clock,
        onAuthorized: () =>
          void this.onAuthorized().catch((error: unknown) =>
            logger.warn(`after an authorization: ${(error as Error).message}`),
          ),
      });
      logger.info(`authorization listener: open ${this.listener.url} to authorize`);
    }
    if (this.deps.transport && config.mail) {
      // Made once the listener runs, so a needs-authorization mail can carry its /grant URL.
      const alerts = new Alerts({
        transport: this.deps.transport,
        mail: config.mail,
        clock: this.clock,
        logger,
        ...(this.listener ? { reauthorizeUrl: this.listener.url } : {}),
      });
      this.alerts = alerts;
      this.listeners.add((e) => alerts.onEvent(e));
    }
    await tokens.refreshState();
    this.scheduler.start();
    this.watcher?.start();
    void this.tick();
  }

  trigger(request: RoundRequest): void {
    this.request = {
      full: this.request.full || request.full,
      allowMassDelete: this.request.allowMassDelete === true || request.allowMassDelete === true,
    };
    this.scheduler.trigger('manual');
  }

  pause(): void {
    this.scheduler.pause();
    this.changed();
  }

  resume(): void {
    this.scheduler.resume();
    this.changed();
  }

  nextRunAt(): Date | null {
    return this.nextRun;
  }

  auth(): { state: AuthState } {
    return { state: this.deps.tokens.state };
  }

  /** Runs the config's flow in the person's browser; resolves once authorized. */
  async authorize(signal?: AbortSignal): Promise<void> {
    const { app, openBrowser } = this.deps;
    if (!openBrowser)
      throw new AuthError(
        'No browser to open here: run `cloud-sync authorize` on a machine with one.',
      );
    if (app.flow === 'desktop') {
      await authorizeDesktop({ app, openBrowser, ...(signal ? { signal } : {}) });
      await this.onAuthorized();
      return;
    }
    const url = this.listener?.url;
    if (!url) throw new AuthError('The authorization listener is not running.');
    const done = new Promise<void>((resolve, reject) => {
      this.authorized = resolve;
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    await openBrowser(url);
    await done;
  }

  recentRounds(limit: number): RoundSummary[] {
    return this.deps.store.recentSummaries(limit);
  }

  /** Stops scheduling; in-flight transfers get `graceMs` to checkpoint before we stop waiting. */
  async stop(graceMs: number): Promise<void> {
    this.ticker.abort();
    const watching = this.watcher?.stop();
    const stopped = this.scheduler.stop();
    // A round past the grace period still writes to the store: release it when it ends.
    void stopped.finally(() => this.deps.onStopped?.());
    const timeout = new AbortController();
    await Promise.race([stopped, this.clock.sleep(graceMs, timeout.signal).catch(() => undefined)]);
    timeout.abort();
    await watching;
    await this.listener?.close();
    await this.alerts?.idle();
    for (const off of this.unsubscribe) off();
  }

  private async onAuthorized(): Promise<void> {
    const state = await this.deps.tokens.refreshState();
    if (state !== 'authorized') return;
    this.authorized?.();
    this.authorized = undefined;
    this.watcher?.retryNow();
    this.scheduler.trigger('manual');
  }

  private async round(reason: TriggerReason, signal: AbortSignal): Promise<void> {
    const { tokens, logger } = this.deps;
    if (tokens.state !== 'authorized' && (await tokens.refreshState()) !== 'authorized') {
      // Nothing to do until someone authorizes; the auth event already told every listener.
      logger.info(`round (${reason}) skipped: ${tokens.state}`);
      this.emit({ type: 'phase', v: 1, at: this.iso(), phase: 'needs-authorization' });
      return;
    }
    const request = this.request;
    this.request = { full: false };
    try {
      const summary = await this.engine.runRound({ ...request, signal });
      logger.info(`round ${summary.roundId} (${reason}): ${summary.result}`);
    } catch (error) {
      if (isAbortError(error) || signal.aborted) return;
      // Auth errors already moved the provider to needs-authorization (and its event went out).
      logger.error(`round (${reason}) failed: ${(error as Error).message}`);
    }
  }

  private async verify(signal: AbortSignal): Promise<void> {
    const { config, store, target, logger } = this.deps;
    const report = await verifyBucket({
      db: store.db,
      target,
      prefix: config.aws.prefix,
      trashPrefix: config.general.trashPrefix,
      signal,
    });
    logger.info(
      `verify: ${report.equal ? 'bucket matches the state store' : `${report.differences} difference(s)`}`,
    );
  }

  /** Reminder mails must go out while nothing happens (e.g. waiting for authorization). */
  private async tick(): Promise<void> {
    if (!this.alerts) return;
    try {
      for (;;) {
        await this.clock.sleep(3_600_000, this.ticker.signal);
        this.alerts.tick();
      }
    } catch {
      // stopped
    }
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.deps.logger.warn(`an event listener failed: ${(error as Error).message}`);
      }
    }
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private iso(): string {
    return new Date(this.clock.now()).toISOString();
  }
}
