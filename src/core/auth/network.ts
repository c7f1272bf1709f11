import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import {
  AuthError as MsalAuthError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';

/**
 * The identity service could not answer now (connection failure, timeout, 429 or 5xx). Thrown
 * from the network client as an MSAL AuthError so MSAL passes it through unchanged — and, unlike
 * a 5xx response handed back to MSAL, it leaves no wall-clock throttle entry in MSAL's memory:
 * the caller's pacer honours `retryAfterSeconds` instead, on the injected clock.
 */
export class IdentityUnavailableError extends MsalAuthError {
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    message: string,
    options: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(options.status === undefined ? 'network_error' : 'service_unavailable', '', message);
    // MSAL's AuthError resets the prototype to its own; restore ours so instanceof works.
    Object.setPrototypeOf(this, IdentityUnavailableError.prototype);
    this.name = 'IdentityUnavailableError';
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

export interface NetworkClientOptions {
  /** Extra certificate authorities to trust besides Node's roots (a test authority's cert). */
  ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Per-request deadline in milliseconds (MSAL's own client has none for token requests). */
  timeoutMs?: number;
  userAgent?: string;
  maxBodyBytes?: number;
}

const TLS_CODES =
  /^(CERT_|ERR_TLS_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET|VERIFY)_)/;

/**
 * MSAL's `system.networkClient` on node:https: trusts an extra CA without touching the process
 * (no NODE_EXTRA_CA_CERTS), bounds every request in time, and separates "try again later" from
 * answers MSAL must read (400 invalid_grant and friends).
 */
export function createNetworkClient(options: NetworkClientOptions = {}): INetworkModule {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const extra = options.ca === undefined ? [] : [options.ca].flat();
  const ca = extra.length ? [...rootCertificates, ...extra] : undefined;
  const userAgent = options.userAgent ?? 'cloud-sync';

  const send = <T>(
    method: 'GET' | 'POST',
    url: string,
    init: NetworkRequestOptions | undefined,
    timeout: number | undefined,
  ): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const body = method === 'POST' ? Buffer.from(init?.body ?? '', 'utf8') : undefined;
      const req = httpsRequest(
        url,
        {
          method,
          ...(ca ? { ca } : {}),
          headers: {
            'user-agent': userAgent,
            ...init?.headers,
            ...(body ? { 'content-length': String(body.length) } : {}),
          },
          timeout: Math.min(timeout ?? timeoutMs, timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBodyBytes) {
              req.destroy(
                new Error(`response from ${originOf(url)} exceeds ${maxBodyBytes} bytes`),
              );
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const headers = flattenHeaders(res.headers);
            if (status === 429 || status >= 500) {
              reject(
                new IdentityUnavailableError(
                  `the identity service answered HTTP ${status} (${originOf(url)})`,
                  { status, retryAfterSeconds: parseRetryAfter(headers['retry-after']) },
                ),
              );
              return;
            }
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text === '' ? {} : JSON.parse(text);
            } catch {
              if (status >= 200 && status < 300) {
                reject(
                  new MsalAuthError(
                    'token_parsing_error',
                    '',
                    `${originOf(url)} answered HTTP ${status} with a body that is not JSON`,
                  ),
                );
                return;
              }
              parsed = {
                error: `http_${status}`,
                error_description: `${originOf(url)} answered HTTP ${status}`,
              };
            }
            resolve({ status, headers, body: parsed as T });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(
          Object.assign(new Error(`no answer from ${originOf(url)} within ${timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code && TLS_CODES.test(error.code)) {
          const tls = new MsalAuthError(
            'tls_error',
            '',
            `TLS to ${originOf(url)} failed: ${error.message}`,
          );
          tls.cause = error;
          reject(tls);
          return;
        }
        reject(
          new IdentityUnavailableError(`cannot reach ${originOf(url)}: ${error.message}`, {
            cause: error,
          }),
        );
      });
      req.end(body);
    });

  return {
    sendGetRequestAsync: (url, init, timeout) => send('GET', url, init, timeout),
    sendPostRequestAsync: (url, init) => send('POST', url, init, undefined),
  };
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// Error messages name the server, never the query string (it can carry codes or tokens).
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the identity service';
  }
}
