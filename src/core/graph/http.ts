import type { TokenProvider } from '../auth/token-provider.js';
import type { Clock } from '../clock.js';
import { AuthError, retryable } from '../errors.js';
import { redact } from '../log/redact.js';
import type { Logger } from '../log/logger.js';
import { parseRetryAfter, type Pacer } from '../net/pacer.js';
import {
  classifyGraphError,
  graphVerdict,
  networkError,
  readFailureBody,
  type GraphContext,
} from './errors.js';

/** A token provider that can be told its token was refused (the MSAL provider can). */
interface InvalidatingTokenProvider extends TokenProvider {
  invalidate(): void;
}
const canInvalidate = (t: TokenProvider): t is InvalidatingTokenProvider =>
  typeof (t as Partial<InvalidatingTokenProvider>).invalidate === 'function';

export interface GraphHttpDeps {
  fetch: typeof fetch;
  tokens: TokenProvider;
  pacer: Pacer;
  clock: Clock;
  logger: Logger;
  userAgent: string;
  /** Longest wait for response headers (and for a JSON body) before the attempt counts as failed. */
  requestTimeoutMs: number;
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
  redirect?: 'follow' | 'manual' | 'error';
}

/**
 * Every Graph request goes through here, and through the one pacer: throttling pauses every
 * caller, other transient failures back off, and failures come out classified.
 */
export class GraphHttp {
  constructor(private readonly deps: GraphHttpDeps) {}

  /**
   * GET with the bearer token. `read` turns a response below 400 (3xx too, for manual
   * redirects) into a value inside the retry loop, so a body cut short is retried like any
   * other transient failure.
   */
  authorized<T>(
    url: string,
    context: GraphContext,
    read: (res: Response) => Promise<T>,
    options: RequestOptions = {},
  ): Promise<T> {
    return this.deps.pacer.call(
      async () => {
        let token = await this.deps.tokens.getAccessToken(options.signal);
        let sent = await this.send(url, context, token, options, true);
        if (sent.res.status === 401) {
          // The token may have been revoked or expired early: ask once more (it may refresh).
          sent.release();
          await discard(sent.res);
          if (canInvalidate(this.deps.tokens)) this.deps.tokens.invalidate();
          token = await this.deps.tokens.getAccessToken(options.signal);
          sent = await this.send(url, context, token, options, true);
          if (sent.res.status === 401) {
            sent.release();
            const { graphCode } = await readFailureBody(sent.res);
            throw new AuthError(
              `OneDrive refused the access token twice (${graphCode ?? 'HTTP 401'}).`,
            );
          }
        }
        try {
          return await this.finish(sent.res, url, context, read, options);
        } finally {
          sent.release();
        }
      },
      graphVerdict,
      options.signal,
    );
  }

  /**
   * GET a pre-authenticated URL, deliberately WITHOUT the Authorization header. Resolves once
   * headers arrive; the body then lives as long as `options.signal` allows.
   */
  anonymous(url: string, context: GraphContext, options: RequestOptions = {}): Promise<Response> {
    return this.deps.pacer.call(
      async () => {
        const sent = await this.send(url, context, undefined, options, false);
        return this.finish(sent.res, url, context, (r) => Promise.resolve(r), options);
      },
      graphVerdict,
      options.signal,
    );
  }

  private async finish<T>(
    res: Response,
    url: string,
    context: GraphContext,
    read: (res: Response) => Promise<T>,
    options: RequestOptions,
  ): Promise<T> {
    if (res.status >= 400) {
      const body = await readFailureBody(res);
      const location = res.headers.get('location');
      throw classifyGraphError({
        status: res.status,
        context,
        ...body,
        retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), this.deps.clock.now()),
        location: location ? new URL(location, url).href : undefined,
      });
    }
    try {
      return await read(res);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw networkError(context, error);
    }
  }

  /**
   * One fetch. Its own controller follows the caller's signal and a deadline: until headers
   * arrive, or (`bodyTimed`) until `release()` once the body was read.
   */
  private async send(
    url: string,
    context: GraphContext,
    token: string | undefined,
    options: RequestOptions,
    bodyTimed: boolean,
  ): Promise<{ res: Response; release: () => void }> {
    const { signal } = options;
    signal?.throwIfAborted();
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      const ms = this.deps.requestTimeoutMs;
      controller.abort(retryable(`Graph did not answer within ${ms} ms`, { code: 'timeout' }));
    }, this.deps.requestTimeoutMs);
    const release = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const headers: Record<string, string> = {
      'User-Agent': this.deps.userAgent,
      ...options.headers,
    };
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    try {
      const res = await this.deps.fetch(url, {
        headers,
        redirect: options.redirect ?? 'follow',
        signal: controller.signal,
      });
      if (!bodyTimed) clearTimeout(timer);
      return { res, release };
    } catch (error) {
      release();
      if (signal?.aborted) throw signal.reason;
      this.deps.logger.debug(`Graph ${context} request to ${redact(url)} failed`, error);
      throw networkError(context, error);
    }
  }
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // nothing to release
  }
}
