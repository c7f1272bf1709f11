import type { SimRoute } from './faults.js';

export interface RequestRecord {
  route: SimRoute;
  method: string;
  /** Path without the query (download URLs carry their credential in the query). */
  path: string;
  itemId: string | undefined;
  /** Epoch ms when the request arrived (before hooks and delays). */
  at: number;
  /** Epoch ms when the status was decided and headers were sent. */
  respondedAt: number | undefined;
  status: number | undefined;
  /** Whether the request carried an Authorization header. */
  authorization: boolean;
  range: string | undefined;
}

/** What the simulator saw and served; tests assert on these instead of timing. */
export class Counters {
  requests: RequestRecord[] = [];
  private served = new Map<string, number>();
  private complete = new Map<string, number>();

  /** Number of requests, for one route or all. */
  count(route?: SimRoute): number {
    return route ? this.requests.filter((r) => r.route === route).length : this.requests.length;
  }

  /** Arrival times of the requests to one route (or all), in arrival order. */
  times(route?: SimRoute): number[] {
    return this.requests.filter((r) => !route || r.route === route).map((r) => r.at);
  }

  /** Body bytes written for an item's downloads (all items when no id). */
  bytesServed(itemId?: string): number {
    if (itemId !== undefined) return this.served.get(itemId) ?? 0;
    let total = 0;
    for (const n of this.served.values()) total += n;
    return total;
  }

  /**
   * Downloads of an item whose body was written through to the file's last byte (a resumed
   * download whose tail completes counts once; a reset one does not).
   */
  completeDownloads(itemId?: string): number {
    if (itemId !== undefined) return this.complete.get(itemId) ?? 0;
    let total = 0;
    for (const n of this.complete.values()) total += n;
    return total;
  }

  reset(): void {
    this.requests = [];
    this.served = new Map();
    this.complete = new Map();
  }

  /** @internal */
  addServed(itemId: string, bytes: number): void {
    this.served.set(itemId, (this.served.get(itemId) ?? 0) + bytes);
  }

  /** @internal */
  addComplete(itemId: string): void {
    this.complete.set(itemId, (this.complete.get(itemId) ?? 0) + 1);
  }
}
