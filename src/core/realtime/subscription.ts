import { retryable } from '../errors.js';
import type { GraphHttp } from '../graph/http.js';

/** What `GET /me/drive/root/subscriptions/socketIo` hands out. */
export interface SocketIoSubscription {
  /** socket.io endpoint; its query carries a credential, so it is never logged. */
  notificationUrl: string;
  /** When the URL stops working (epoch ms); undefined when the service did not say. */
  expiresAt: number | undefined;
}

/**
 * Asks Graph for a socket.io endpoint through the same authenticated, paced request path as
 * the delta feed: 401 → one refresh → AuthError; 429/503 → retryable with Retry-After.
 */
export function fetchSubscription(
  http: GraphHttp,
  graphBase: string,
  signal: AbortSignal,
): Promise<SocketIoSubscription> {
  return http.authorized(
    `${graphBase}/me/drive/root/subscriptions/socketIo`,
    'subscription',
    readSubscription,
    { signal },
  );
}

async function readSubscription(res: Response): Promise<SocketIoSubscription> {
  const body = (await res.json()) as { notificationUrl?: unknown; expirationDateTime?: unknown };
  const url = typeof body.notificationUrl === 'string' ? parseHttpUrl(body.notificationUrl) : null;
  if (!url) {
    throw retryable('The socket.io subscription came back without a usable notificationUrl', {
      code: 'graph-bad-subscription',
    });
  }
  const expiresAt =
    typeof body.expirationDateTime === 'string' ? Date.parse(body.expirationDateTime) : NaN;
  return { notificationUrl: url, expiresAt: Number.isNaN(expiresAt) ? undefined : expiresAt };
}

function parseHttpUrl(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
