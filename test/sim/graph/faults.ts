/** Which kind of request a fault or counter is about. */
export type SimRoute =
  'delta' | 'content' | 'download' | 'item' | 'drive' | 'subscription' | 'other';

export interface FaultMatch {
  /** Only requests to this route (or these routes); any route when absent. */
  route?: SimRoute | SimRoute[];
  /** Only requests about this item id (content, download, item routes). */
  itemId?: string;
  /** How many matching requests this fault applies to. Default 1; `Infinity` for all. */
  count?: number;
}

export type ResyncCode =
  'resyncChangesApplyDifferences' | 'resyncChangesUploadDifferences' | 'resyncRequired';

export type Fault =
  | { kind: 'throttle'; status: 429 | 503; retryAfter: number | string | undefined }
  | { kind: 'fail'; status: number; code: string }
  | { kind: 'gone'; code: ResyncCode; location: boolean }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'stall'; afterBytes: number; ms: number }
  | { kind: 'ignoreRange' };

interface Rule {
  fault: Fault;
  routes: SimRoute[] | undefined;
  itemId: string | undefined;
  remaining: number;
}

/**
 * Scripted, deterministic faults: each rule applies to the next `count` matching requests, in
 * the order the rules were added.
 */
export class Faults {
  private rules: Rule[] = [];
  /** URLs issued before this generation are refused as expired. */
  urlGeneration = 0;

  /** 429 or 503 with `Retry-After` (seconds; a date string also works; `null` sends none). */
  throttle(o: FaultMatch & { status?: 429 | 503; retryAfter?: number | string | null } = {}): this {
    const retryAfter = o.retryAfter === null ? undefined : (o.retryAfter ?? 1);
    return this.add({ kind: 'throttle', status: o.status ?? 429, retryAfter }, o);
  }

  /** Any other error status with a Graph error body (e.g. 500, 502, 404). */
  fail(o: FaultMatch & { status: number; code?: string }): this {
    return this.add({ kind: 'fail', status: o.status, code: o.code ?? 'generalException' }, o);
  }

  /** 410 Gone on the next delta request(s); `Location` starts a fresh enumeration. */
  gone(o: { code?: ResyncCode; count?: number; location?: boolean } = {}): this {
    const fault: Fault = {
      kind: 'gone',
      code: o.code ?? 'resyncChangesApplyDifferences',
      location: o.location ?? true,
    };
    return this.add(fault, { route: 'delta', count: o.count ?? 1 });
  }

  /** Destroys the socket after `bytes` bytes of a download body. */
  resetAfter(o: { bytes: number; itemId?: string; count?: number }): this {
    return this.add({ kind: 'reset', afterBytes: o.bytes }, { ...o, route: 'download' });
  }

  /** Pauses a download body for `ms` after `bytes` bytes (a connection gone quiet). */
  stallAfter(o: { bytes: number; ms: number; itemId?: string; count?: number }): this {
    return this.add({ kind: 'stall', afterBytes: o.bytes, ms: o.ms }, { ...o, route: 'download' });
  }

  /** Holds the response this long before answering. */
  delay(o: FaultMatch & { ms: number }): this {
    return this.add({ kind: 'delay', ms: o.ms }, o);
  }

  /** Answers the next Range request(s) with 200 and the whole body, as some servers do. */
  ignoreRange(o: { itemId?: string; count?: number } = {}): this {
    return this.add({ kind: 'ignoreRange' }, { ...o, route: 'download' });
  }

  /** Every download URL handed out so far is now expired. */
  expireDownloadUrls(): this {
    this.urlGeneration++;
    return this;
  }

  clear(): this {
    this.rules = [];
    return this;
  }

  /** Takes (and consumes) the first matching rule of one of `kinds`. */
  take<K extends Fault['kind']>(
    kinds: K[],
    route: SimRoute,
    itemId: string | undefined,
  ): Extract<Fault, { kind: K }> | undefined {
    const rule = this.rules.find(
      (r) =>
        (kinds as string[]).includes(r.fault.kind) &&
        (!r.routes || r.routes.includes(route)) &&
        (r.itemId === undefined || r.itemId === itemId),
    );
    if (!rule) return undefined;
    if (--rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.fault as Extract<Fault, { kind: K }>;
  }

  private add(fault: Fault, match: FaultMatch): this {
    const count = match.count ?? 1;
    if (!(count > 0)) throw new TypeError(`Expected \`count\` to be > 0, got ${count}`);
    const routes =
      match.route === undefined
        ? undefined
        : Array.isArray(match.route)
          ? match.route
          : [match.route];
    this.rules.push({ fault, routes, itemId: match.itemId, remaining: count });
    return this;
  }
}
