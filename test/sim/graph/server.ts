import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Counters, type RequestRecord } from './counters.js';
import { DeltaFeed, decodeToken, encodeToken } from './delta.js';
import { DownloadHost } from './download.js';
import { SimDrive } from './drive.js';
import { Faults, type SimRoute } from './faults.js';
import { sendError, sendJson, type Exchange } from './http.js';
import { NotificationHost } from './notifications.js';
import {
  applySelect,
  parseSelect,
  renderItem,
  wantsDownloadUrl,
  type RenderContext,
} from './render.js';

/** The bearer token the simulator accepts unless a test says otherwise. */
export const SIM_TOKEN = 'sim-access-token';

export interface GraphSimOptions {
  /** Items per delta page (a request's `$top` overrides). Default 200. */
  pageSize?: number;
  /** Shuffle full enumerations with this seed, so children often precede parents. Default: creation order. */
  shuffleSeed?: number;
  /** List this many items twice in a full enumeration (earlier copy stale, last wins). Default 0. */
  repeat?: number;
  /** A change also reports the changed item's ancestors, as OneDrive Personal does. Default true. */
  reportAncestors?: boolean;
  /**
   * A deleted folder comes alone, without tombstones for what it held (reports suggest
   * Personal may do this). Default false: every deleted descendant is listed.
   */
  deletedFolderAlone?: boolean;
  /** Lifetime of pre-authenticated download URLs. Default 300 000 ms. */
  downloadUrlTtlMs?: number;
  /** Status for an expired download URL. Default 401. */
  expiredStatus?: 401 | 403;
  /** Answer every Range request with 200 and the whole body. Default false. */
  ignoreRange?: boolean;
  /** Report parentReference.id in lower case (ids must be compared case-insensitively). Default false. */
  lowerParentIds?: boolean;
  /** Accepted bearer tokens. Default [SIM_TOKEN]. */
  tokens?: string[] | Set<string>;
  /** Drive id (OneDrive Personal style: 16 hex digits). Default 'A1B2C3D4E5F60718'. */
  driveId?: string;
  /** Time source for timestamps, URL expiry and counters. Default Date.now. */
  now?: () => number;
  /** How long a socket.io notificationUrl accepts new connections. Default 3 600 000 ms. */
  notificationUrlTtlMs?: number;
}

export interface SimRequestInfo {
  route: SimRoute;
  itemId: string | undefined;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export type RequestHook = (info: SimRequestInfo) => void | Promise<void>;

export interface GraphSim {
  /** Graph base URL to configure as `graph_url`, e.g. http://127.0.0.1:PORT/v1.0 */
  readonly url: string;
  readonly origin: string;
  readonly drive: SimDrive;
  readonly faults: Faults;
  readonly counters: Counters;
  /** The socket.io change notifications behind `root/subscriptions/socketIo`. */
  readonly notifications: NotificationHost;
  acceptToken(token: string): void;
  revoke(token: string): void;
  revokeAll(): void;
  /** Runs before every request is handled (after it is counted); may be async to hold it. */
  onRequest(hook: RequestHook): () => void;
  /** A deltaLink for the drive as it is now (what `?token=latest` hands out). */
  latestDeltaLink(): string;
  close(): Promise<void>;
}

const ROUTES: Array<[RegExp, SimRoute]> = [
  [/^\/v1\.0\/me\/drive\/root\/delta$/, 'delta'],
  [/^\/v1\.0\/(?:me\/drive|drives\/[^/]+)\/root\/subscriptions\/socketIo$/i, 'subscription'],
  [/^\/v1\.0\/(?:me\/drive|drives\/[^/]+)\/items\/([^/]+)\/content$/, 'content'],
  [/^\/v1\.0\/(?:me\/drive|drives\/[^/]+)\/items\/([^/]+)$/, 'item'],
  [/^\/v1\.0\/me\/drive\/root$/, 'item'],
  [/^\/v1\.0\/me\/drive$/, 'drive'],
  [/^\/dl\/([^/]+)$/, 'download'],
];

export async function startGraphSim(options: GraphSimOptions = {}): Promise<GraphSim> {
  const now = options.now ?? Date.now;
  const drive = new SimDrive({
    driveId: options.driveId ?? 'A1B2C3D4E5F60718',
    now,
    reportAncestors: options.reportAncestors ?? true,
    deletedFolderAlone: options.deletedFolderAlone ?? false,
  });
  const faults = new Faults();
  const counters = new Counters();
  const notifications = new NotificationHost({
    now,
    ttlMs: options.notificationUrlTtlMs ?? 3_600_000,
  });
  // A Set is used live, so the identity simulator's issued tokens can be handed in as they grow.
  const tokens =
    options.tokens instanceof Set ? options.tokens : new Set(options.tokens ?? [SIM_TOKEN]);
  const hooks = new Set<RequestHook>();
  const feed = new DeltaFeed(drive, {
    pageSize: options.pageSize ?? 200,
    shuffleSeed: options.shuffleSeed,
    repeat: options.repeat ?? 0,
  });
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${origin}/v1.0`;
  const host = new DownloadHost(drive, faults, counters, now, {
    origin,
    ttlMs: options.downloadUrlTtlMs ?? 300_000,
    expiredStatus: options.expiredStatus ?? 401,
    ignoreRange: options.ignoreRange ?? false,
  });
  const deltaUrl = (token: string): string => `${url}/me/drive/root/delta?token=${token}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const reqUrl = new URL(req.url ?? '/', origin);
    let route: SimRoute = 'other';
    let itemId: string | undefined;
    for (const [pattern, name] of ROUTES) {
      const m = pattern.exec(reqUrl.pathname);
      if (!m) continue;
      route = name;
      itemId = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
      break;
    }
    if (route === 'item' && itemId === undefined) itemId = drive.root.id;
    const record: RequestRecord = {
      route,
      method: req.method ?? 'GET',
      path: reqUrl.pathname,
      itemId,
      at: now(),
      respondedAt: undefined,
      status: undefined,
      authorization: req.headers.authorization !== undefined,
      range: req.headers.range,
    };
    counters.requests.push(record);
    const ex: Exchange = { req, res, url: reqUrl, record, now };
    for (const hook of [...hooks]) {
      await hook({ route, itemId, method: record.method, path: record.path, headers: req.headers });
    }
    const delay = faults.take(['delay'], route, itemId);
    if (delay) await sleep(delay.ms);

    const fault = faults.take(['throttle', 'fail'], route, itemId);
    if (fault?.kind === 'throttle') {
      const headers: Record<string, string> =
        fault.retryAfter === undefined ? {} : { 'Retry-After': String(fault.retryAfter) };
      const code = fault.status === 429 ? 'activityLimitReached' : 'serviceNotAvailable';
      return sendError(ex, fault.status, code, 'Throttled by the simulator', headers);
    }
    if (fault?.kind === 'fail') return sendError(ex, fault.status, fault.code, 'Injected failure');
    if (req.method !== 'GET') return sendError(ex, 405, 'invalidRequest', 'Only GET is simulated');
    if (route === 'download') return host.serve(ex, itemId as string);
    if (route === 'other') return sendError(ex, 400, 'BadRequest', 'Unsupported segment');

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth || !tokens.has(auth[1] as string)) {
      const message = auth
        ? 'Access token has expired or is not yet valid.'
        : 'Access token is empty.';
      return sendError(ex, 401, 'InvalidAuthenticationToken', message, {
        'WWW-Authenticate': 'Bearer realm=""',
      });
    }
    if (route === 'content') return host.redirect(ex, itemId as string);
    if (route === 'drive') return sendJson(ex, 200, driveInfo());
    if (route === 'subscription') return sendJson(ex, 200, await notifications.subscribe());
    if (route === 'item') return item(ex, itemId as string);
    return delta(ex);
  }

  function ctx(select: ReadonlySet<string> | undefined): RenderContext {
    return {
      drive,
      downloadUrl: wantsDownloadUrl(select) ? (id) => host.urlFor(id) : undefined,
      lowerParentIds: options.lowerParentIds ?? false,
    };
  }

  function item(ex: Exchange, id: string): void {
    const it = drive.raw(id);
    if (!it || it.deleted) return sendError(ex, 404, 'itemNotFound', 'Item does not exist');
    const select = parseSelect(ex.url.searchParams.get('$select'));
    sendJson(ex, 200, applySelect(renderItem(it, ctx(select)), select));
  }

  function delta(ex: Exchange): void {
    const q = ex.url.searchParams;
    const raw = q.get('token');
    const top = Number(q.get('$top')) > 0 ? Number(q.get('$top')) : undefined;
    const sel = q.get('$select') ?? undefined;
    const token =
      raw === null ? feed.startToken(sel) : raw === 'latest' ? undefined : decodeToken(raw);
    if (raw !== null && raw !== 'latest' && !token) {
      return sendError(ex, 400, 'invalidRequest', 'Invalid delta token');
    }
    const gone = faults.take(['gone'], 'delta', undefined);
    const goneHeaders = (location: boolean): Record<string, string> =>
      location ? { Location: deltaUrl(encodeToken(feed.startToken(sel))) } : {};
    if (gone) {
      return sendError(
        ex,
        410,
        gone.code,
        'Resync required: the token is no longer valid',
        goneHeaders(gone.location),
      );
    }
    const context = `${url}/$metadata#Collection(driveItem)`;
    if (!token) {
      return sendJson(ex, 200, {
        '@odata.context': context,
        value: [],
        '@odata.deltaLink': deltaUrl(encodeToken(feed.latestToken(sel))),
      });
    }
    const page = feed.page(token, sel, top);
    if (!page)
      return sendError(ex, 410, 'resyncRequired', 'Unknown enumeration', goneHeaders(true));
    const select = parseSelect(page.sel);
    const c = ctx(select);
    const body: Record<string, unknown> = {
      '@odata.context': context,
      value: page.items.map(({ item: it, stale }) => applySelect(renderItem(it, c, stale), select)),
    };
    if (page.next) body['@odata.nextLink'] = deltaUrl(encodeToken(page.next));
    if (page.delta) body['@odata.deltaLink'] = deltaUrl(encodeToken(page.delta));
    sendJson(ex, 200, body);
  }

  function driveInfo(): Record<string, unknown> {
    const used = drive.sizeOf(drive.root);
    const total = 5 * 1024 ** 4;
    return {
      id: drive.driveId.toLowerCase(),
      driveType: 'personal',
      owner: { user: { displayName: 'Simulated User', id: drive.driveId.toLowerCase() } },
      quota: { total, used, remaining: total - used, deleted: 0, state: 'normal' },
    };
  }

  return {
    url,
    origin,
    drive,
    faults,
    counters,
    notifications,
    acceptToken: (t) => void tokens.add(t),
    revoke: (t) => void tokens.delete(t),
    revokeAll: () => tokens.clear(),
    onRequest(hook) {
      hooks.add(hook);
      return () => void hooks.delete(hook);
    },
    latestDeltaLink: () => deltaUrl(encodeToken(feed.latestToken(undefined))),
    close: async () => {
      await notifications.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
