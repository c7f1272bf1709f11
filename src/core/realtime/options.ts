import type { TokenProvider } from '../auth/token-provider.js';
import type { Clock } from '../clock.js';
import { DEFAULT_USER_AGENT } from '../graph/client.js';
import type { Logger } from '../log/logger.js';
import type { Pacer } from '../net/pacer.js';
import type { ConnectChannel } from './channel.js';

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

/** The tunables with their defaults filled in and checked once. */
export type ResolvedOptions = Required<
  Omit<ChangeWatcherOptions, 'pacer' | 'fetch' | 'clock' | 'logger' | 'connect'>
>;

export function resolveOptions(options: ChangeWatcherOptions, graphUrl: string): ResolvedOptions {
  return {
    graphUrl,
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
}

function duration(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a number of milliseconds ≥ 0, got ${value}`);
  }
  return value;
}
