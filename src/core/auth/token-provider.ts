import type { AccountInfo, AuthenticationResult } from '@azure/msal-node';
import type { AuthState } from '../../shared/events.js';
import { systemClock, type Clock } from '../clock.js';
import { AuthError, type SyncError } from '../errors.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { classifyAuthFailure } from './classify.js';
import type { MsalApp } from './msal-app.js';

/**
 * The engine asks this for a bearer token before each Graph request. The MSAL-backed provider
 * refreshes silently; when it cannot, it throws an `AuthError` (needs authorization).
 */
export interface TokenProvider {
  getAccessToken(signal?: AbortSignal): Promise<string>;
}

/** A fixed token, for tests against the simulators. */
export const staticTokenProvider = (token: string): TokenProvider => ({
  getAccessToken: () => Promise.resolve(token),
});

export interface AuthStateDetail {
  /** The signed-in account's username, when known. */
  account?: string | undefined;
  message?: string;
  error?: SyncError;
}
export type AuthStateListener = (state: AuthState, detail: AuthStateDetail) => void;

export interface MsalTokenProviderOptions {
  app: MsalApp;
  /** Defaults to the configured scopes (`offline_access Files.Read`). */
  scopes?: string[];
  logger?: Logger;
  clock?: Clock;
}

// MSAL refreshes an access token this close to its expiry; the memo below uses the same margin.
const EXPIRY_MARGIN_MS = 5 * 60_000;

/**
 * Bearer tokens from MSAL's silent flow over the tokens file. A transient failure leaves the
 * file alone and throws a retryable SyncError; a refusal (invalid_grant, no account) throws
 * AuthError and moves to 'needs-authorization' until the tokens file changes — a new
 * authorization from this process or any other — after which the next call simply works.
 */
export class MsalTokenProvider implements TokenProvider {
  private readonly app: MsalApp;
  private readonly scopes: string[];
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly listeners = new Set<AuthStateListener>();
  private current: AuthState = 'not-authorized';
  private inflight: Promise<string> | undefined;
  private memo: { token: string; expiresAt: number } | undefined;
  private forceRefresh = false;
  /** Set while refused: the tokens file's digest then, and the error to repeat without asking. */
  private blocked: { digest: string | undefined; error: AuthError } | undefined;

  constructor(options: MsalTokenProviderOptions) {
    this.app = options.app;
    this.scopes = options.scopes ?? [...options.app.onedrive.scopes];
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  get state(): AuthState {
    return this.current;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onState(listener: AuthStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async getAccessToken(signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    const memo = this.memo;
    if (memo && memo.expiresAt - this.clock.now() > EXPIRY_MARGIN_MS) return memo.token;
    // One refresh at a time: refresh tokens rotate, so two parallel refreshes would race and
    // the loser would present an already-spent token.
    this.inflight ??= this.acquire().finally(() => {
      this.inflight = undefined;
    });
    return signal ? abortable(this.inflight, signal) : this.inflight;
  }

  /** The next getAccessToken asks the identity service (e.g. after Graph answered 401). */
  invalidate(): void {
    this.memo = undefined;
    this.forceRefresh = true;
  }

  /** The signed-in account's username (for display), or undefined. */
  async account(): Promise<string | undefined> {
    return (await this.firstAccount())?.username;
  }

  /** Whether the tokens file holds an account (it may still need a new authorization). */
  async isAuthorized(): Promise<boolean> {
    return (await this.firstAccount()) !== undefined;
  }

  /**
   * Re-reads the tokens file and reports what it finds, without a network request: the daemon
   * calls this at start and after its listener completed an authorization.
   */
  async refreshState(): Promise<AuthState> {
    const account = await this.firstAccount();
    if (account && this.blocked && (await this.app.cache.changedSince(this.blocked.digest))) {
      this.blocked = undefined;
    }
    if (account && !this.blocked) {
      this.setState('authorized', { account: account.username });
    } else if (!account && !this.blocked) {
      this.setState('not-authorized', {
        ...(this.app.cache.problem ? { message: this.app.cache.problem.message } : {}),
      });
    }
    return this.current;
  }

  private async acquire(): Promise<string> {
    if (this.blocked && !(await this.app.cache.changedSince(this.blocked.digest))) {
      throw this.blocked.error;
    }
    try {
      const result = await this.silent();
      const token = result.accessToken;
      if (!token) throw new AuthError('The identity service returned no access token.');
      this.blocked = undefined;
      this.forceRefresh = false;
      this.memo = result.expiresOn ? { token, expiresAt: result.expiresOn.getTime() } : undefined;
      this.setState('authorized', { account: result.account?.username });
      return token;
    } catch (raw) {
      const error = classifyAuthFailure(raw);
      this.memo = undefined;
      if (error instanceof AuthError) {
        this.blocked = { digest: this.app.cache.digest, error };
        this.logger.warn(`OneDrive authorization needed: ${error.message}`);
        this.setState('needs-authorization', { message: error.message, error });
      } else {
        this.logger.warn(`Token refresh failed, tokens kept: ${error.message}`);
      }
      throw error;
    }
  }

  private async silent(): Promise<AuthenticationResult> {
    const account = await this.firstAccount();
    if (!account) {
      const legacy = this.app.cache.legacyRefreshToken;
      if (legacy) return this.migrate(legacy);
      throw new AuthError(this.app.cache.problem?.message ?? 'OneDrive is not authorized yet.', {
        code: 'not-authorized',
      });
    }
    return this.app.client.acquireTokenSilent({
      account,
      scopes: this.scopes,
      forceRefresh: this.forceRefresh,
    });
  }

  /** The original cloud_sync's refresh token, exchanged once into an MSAL cache (same app). */
  private async migrate(refreshToken: string): Promise<AuthenticationResult> {
    this.logger.info('Taking over the tokens of the original cloud_sync.');
    const result = await this.app.client.acquireTokenByRefreshToken({
      refreshToken,
      scopes: this.scopes,
      forceCache: true,
    });
    if (!result) throw new AuthError('The original tool’s refresh token could not be exchanged.');
    return result;
  }

  private async firstAccount(): Promise<AccountInfo | undefined> {
    const accounts = await this.app.client.getTokenCache().getAllAccounts();
    return accounts[0];
  }

  private setState(state: AuthState, detail: AuthStateDetail): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.listeners) {
      try {
        listener(state, detail);
      } catch (error) {
        this.logger.error('auth state listener failed', error);
      }
    }
  }
}

/** Rejects with the signal's reason when it fires; the shared work itself carries on. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
