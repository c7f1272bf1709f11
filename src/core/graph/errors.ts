import { AuthError, SyncError, itemError, retryable, fatal } from '../errors.js';
import { classifySyncError, type Verdict } from '../net/pacer.js';

/** Which kind of request failed: the same status means different things for each. */
export type GraphContext = 'delta' | 'content' | 'download' | 'item' | 'subscription';

/** What a failed Graph response said, read once so the body is not needed again. */
export interface GraphFailure {
  status: number;
  context: GraphContext;
  /** error.code from Graph's error body (the more specific innerError code for 410). */
  graphCode?: string | undefined;
  message?: string | undefined;
  /** Parsed Retry-After, in ms. */
  retryAfterMs?: number | undefined;
  /** Absolute Location header (410 on delta). */
  location?: string | undefined;
}

/**
 * 410 Gone from the delta feed: the cursor is no longer valid. Kind 'retryable' because the
 * round can go on — by following `resyncLink` (or starting from scratch when it is undefined)
 * and reconciling against the store, never by repeating the same link. The client never
 * retries it itself; the engine recognises it by this class or by code 'resync-required'.
 */
export class ResyncRequiredError extends SyncError {
  /** The Location header: starts a fresh enumeration. Undefined when Graph sent none. */
  readonly resyncLink: string | undefined;
  /** resyncChangesApplyDifferences | resyncChangesUploadDifferences | resyncRequired | … */
  readonly graphCode: string;

  constructor(graphCode: string, resyncLink: string | undefined, cause?: unknown) {
    super('retryable', `The OneDrive change feed must be re-read from the start (${graphCode}).`, {
      code: 'resync-required',
      cause,
    });
    this.name = 'ResyncRequiredError';
    this.resyncLink = resyncLink;
    this.graphCode = graphCode;
  }
}

const RETRY_STATUSES = new Set([408, 500, 502, 503, 504, 509]);

/** Turns a failed Graph response into the error that says what to do next. */
export function classifyGraphError(f: GraphFailure): SyncError {
  const what = `Graph ${f.context} request failed: HTTP ${f.status}${f.graphCode ? ` ${f.graphCode}` : ''}`;
  const options = { code: `graph-${f.status}` };
  const retryAfterSeconds = f.retryAfterMs === undefined ? undefined : f.retryAfterMs / 1000;
  if (f.status === 429 || (f.status === 503 && retryAfterSeconds !== undefined)) {
    return retryable(`${what} (throttled)`, {
      code: 'throttled',
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (RETRY_STATUSES.has(f.status)) return retryable(what, options);
  if (f.context === 'download' && (f.status === 401 || f.status === 403)) {
    // The pre-authenticated URL expired (or was refused): fetch a fresh one.
    return retryable(`${what} (download link expired)`, { code: 'download-url-expired' });
  }
  if (f.status === 410 && f.context === 'delta') {
    return new ResyncRequiredError(f.graphCode ?? 'resyncRequired', f.location);
  }
  if (f.status === 401) {
    return new AuthError(`OneDrive refused the access token (${f.graphCode ?? 'HTTP 401'}).`);
  }
  if (f.context === 'delta') {
    const hint =
      f.status === 403
        ? 'Check that the app registration grants Files.Read and that the account can read its drive.'
        : undefined;
    return fatal(what, { ...options, ...(hint ? { hint } : {}) });
  }
  if (f.status === 404 || f.status === 410) {
    return itemError(`${what}: the item no longer exists`, {
      code: 'item-not-found',
      hint: 'It was deleted or moved in OneDrive since it was listed; the next round picks that up.',
    });
  }
  return itemError(what, options);
}

/**
 * The pacer's view: throttling pauses everyone, other retryable errors back off. A resync or
 * an expired download URL is never repeated as is: the caller must take another path.
 */
export function graphVerdict(error: unknown): Verdict {
  if (error instanceof ResyncRequiredError) return { retry: false };
  if (error instanceof SyncError && error.code === 'download-url-expired') return { retry: false };
  return classifySyncError(error);
}

/** Network-level failures (reset, refused, DNS, timeouts) are worth another try. */
export function networkError(context: GraphContext, cause: unknown): SyncError {
  if (cause instanceof SyncError) return cause;
  const detail =
    cause instanceof Error
      ? cause.cause instanceof Error
        ? cause.cause.message
        : cause.message
      : String(cause);
  return retryable(`Graph ${context} request failed: ${detail}`, { code: 'network', cause });
}

/** Reads Graph's `{error: {code, message}}` envelope; tolerant of other bodies. */
export async function readFailureBody(
  res: Response,
): Promise<{ graphCode?: string; message?: string }> {
  let text = '';
  try {
    text = (await res.text()).slice(0, 64 * 1024);
  } catch {
    return {};
  }
  try {
    const body = JSON.parse(text) as {
      error?: {
        code?: unknown;
        message?: unknown;
        innerError?: { code?: unknown };
        innererror?: { code?: unknown };
      };
    };
    const inner = body.error?.innerError?.code ?? body.error?.innererror?.code;
    const top = body.error?.code;
    // For 410 the specific resync code may sit in innerError under a generic top-level code.
    const code = typeof inner === 'string' && /^resync/i.test(inner) ? inner : top;
    return {
      ...(typeof code === 'string' ? { graphCode: code } : {}),
      ...(typeof body.error?.message === 'string' ? { message: body.error.message } : {}),
    };
  } catch {
    return {};
  }
}
