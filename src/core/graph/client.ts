import type { Readable } from 'node:stream';
import type { TokenProvider } from '../auth/token-provider.js';
import { systemClock, type Clock } from '../clock.js';
import { retryable } from '../errors.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { Pacer } from '../net/pacer.js';
import { openDownload } from './download.js';
import { ResyncRequiredError } from './errors.js';
import { GraphHttp } from './http.js';
import type { DeltaPage, DownloadOptions, DriveItem, DriveSource } from './types.js';

/** Microsoft asks for a descriptive User-Agent; throttling is friendlier to identified apps. */
export const DEFAULT_USER_AGENT = 'cloud-sync/0.1 (OneDrive to S3 backup)';

/** Everything the engine reads from an item; deleted items come back with the `deleted` facet. */
export const DELTA_SELECT =
  'id,name,size,eTag,cTag,lastModifiedDateTime,fileSystemInfo,file,folder,package,parentReference,root,deleted';

export interface GraphClientOptions {
  /** Graph base URL, e.g. https://graph.microsoft.com/v1.0 (config `[onedrive] graph_url`). */
  graphUrl: string;
  tokens: TokenProvider;
  /** The one pacer for service 'graph', shared with anything else calling Graph. Default: a new one. */
  pacer?: Pacer;
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
  /** Default DEFAULT_USER_AGENT. */
  userAgent?: string;
  /** `$select` of a from-scratch delta. Default DELTA_SELECT. */
  pageSelect?: string;
  /** Interruptions of one download tolerated without 8 MiB of progress between them. Default 8. */
  maxResumes?: number;
  /** Longest wait for headers (and a JSON body). Default 60 000 ms. */
  requestTimeoutMs?: number;
  /** A download body silent this long is dropped and resumed. Default 60 000 ms. */
  idleTimeoutMs?: number;
}

/**
 * OneDrive Personal through Microsoft Graph, as the engine's `DriveSource`. Every request goes
 * through one pacer; failures come out as SyncErrors saying what to do (see errors.ts).
 */
export class GraphClient implements DriveSource {
  private readonly base: string;
  private readonly http: GraphHttp;
  private readonly logger: Logger;
  private readonly select: string;
  private readonly maxResumes: number;
  private readonly idleTimeoutMs: number;

  constructor(options: GraphClientOptions) {
    let base: URL;
    try {
      base = new URL(options.graphUrl);
    } catch {
      throw new TypeError(`Expected \`graphUrl\` to be an absolute URL, got "${options.graphUrl}"`);
    }
    this.base = base.href.replace(/\/+$/, '');
    const clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.select = options.pageSelect ?? DELTA_SELECT;
    this.maxResumes = positive('maxResumes', options.maxResumes ?? 8);
    this.idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs ?? 60_000);
    const logger = this.logger;
    this.http = new GraphHttp({
      fetch: options.fetch ?? globalThis.fetch,
      tokens: options.tokens,
      pacer:
        options.pacer ??
        new Pacer({
          service: 'graph',
          clock,
          onThrottle: (ms) =>
            logger.warn(`OneDrive asked to slow down: pausing ${Math.ceil(ms / 1000)} s`),
        }),
      clock,
      logger,
      userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
      requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs ?? 60_000),
    });
  }

  /**
   * One page of the delta feed: from scratch when `link` is undefined, else the saved
   * nextLink/deltaLink, fetched as given. 410 → ResyncRequiredError; 401 twice → AuthError.
   */
  async deltaPage(link: string | undefined, signal?: AbortSignal): Promise<DeltaPage> {
    const url = link ?? `${this.base}/me/drive/root/delta?$select=${this.select}`;
    if (link !== undefined && !this.sameOrigin(link)) {
      // A cursor from another Graph endpoint (graph_url changed): never send it our token.
      throw new ResyncRequiredError('cursorFromAnotherEndpoint', undefined);
    }
    return this.http.authorized(url, 'delta', readDeltaPage, { signal });
  }

  /** The item's bytes from `options.start`, resuming by Range underneath. */
  download(itemId: string, options: DownloadOptions = {}): Promise<Readable> {
    return openDownload(
      {
        http: this.http,
        contentUrl: `${this.base}/me/drive/items/${encodeURIComponent(itemId)}/content`,
        itemId,
        logger: this.logger,
        maxResumes: this.maxResumes,
        idleTimeoutMs: this.idleTimeoutMs,
      },
      options,
    );
  }

  private sameOrigin(link: string): boolean {
    try {
      return new URL(link).origin === new URL(this.base).origin;
    } catch {
      return false;
    }
  }
}

async function readDeltaPage(res: Response): Promise<DeltaPage> {
  const body = (await res.json()) as {
    value?: unknown;
    '@odata.nextLink'?: unknown;
    '@odata.deltaLink'?: unknown;
  };
  const nextLink = body['@odata.nextLink'];
  const deltaLink = body['@odata.deltaLink'];
  if (
    !Array.isArray(body.value) ||
    (typeof nextLink !== 'string') === (typeof deltaLink !== 'string')
  ) {
    throw retryable('A delta page came back without items or without exactly one link', {
      code: 'graph-bad-page',
    });
  }
  const items = (body.value as DriveItem[]).filter((i) => typeof i?.id === 'string');
  return typeof nextLink === 'string'
    ? { items, nextLink }
    : { items, deltaLink: deltaLink as string };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`Expected \`${name}\` to be a number > 0, got ${value}`);
  }
  return value;
}
