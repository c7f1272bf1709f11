import { Readable } from 'node:stream';
import type {
  DeltaPage,
  DownloadOptions,
  DriveItem,
  DriveSource,
} from '../../../src/core/graph/types.js';
import { SyncError } from '../../../src/core/errors.js';
import { QuickXorHash } from '../../../src/core/hash/quickxor.js';

/**
 * A scripted DriveSource for engine unit tests: each round's feed is queued as pages of
 * fabricated items; downloads serve registered bytes and are counted. The integration tests
 * use the real Graph client against the simulator instead.
 */
export class ScriptedSource implements DriveSource {
  private feeds: DriveItem[][][] = [];
  private feedNo = 0;
  readonly content = new Map<string, Buffer>();
  downloads = 0;
  bytesServed = 0;
  /** Throws this from the next download(s) of the item, then serves normally. */
  failDownloads = new Map<string, { error: Error; times: number }>();
  /** Answers the next delta request with 410 Gone. */
  goneNext = false;

  queueFeed(...pages: DriveItem[][]): void {
    this.feeds.push(pages);
  }

  /** A file item whose hash and size match `bytes`. */
  file(
    id: string,
    parent: string,
    name: string,
    bytes: Buffer | string,
    modified = '2024-05-01T10:20:30.5Z',
  ): DriveItem {
    const body = Buffer.from(bytes);
    this.content.set(id, body);
    return {
      id,
      name,
      size: body.length,
      lastModifiedDateTime: modified,
      fileSystemInfo: { lastModifiedDateTime: modified },
      file: {
        mimeType: 'text/plain',
        hashes: { quickXorHash: new QuickXorHash().update(body).digest() },
      },
      parentReference: { id: parent },
    };
  }

  async deltaPage(link: string | undefined): Promise<DeltaPage> {
    if (this.goneNext) {
      this.goneNext = false;
      throw Object.assign(new SyncError('retryable', 'gone', { code: 'resync-required' }), {
        resyncLink: undefined,
      });
    }
    let feed: number;
    let page: number;
    const m = /^next:(\d+):(\d+)$/.exec(link ?? '');
    if (m) {
      feed = Number(m[1]);
      page = Number(m[2]);
    } else {
      feed = this.feedNo++;
      page = 0;
    }
    const pages = this.feeds[feed] ?? [[]];
    const items = pages[page] ?? [];
    return page + 1 < pages.length
      ? { items, nextLink: `next:${feed}:${page + 1}` }
      : { items, deltaLink: `delta:${feed}` };
  }

  async download(itemId: string, options: DownloadOptions = {}): Promise<Readable> {
    const fail = this.failDownloads.get(itemId);
    if (fail && fail.times > 0) {
      fail.times--;
      throw fail.error;
    }
    const body = this.content.get(itemId);
    if (!body) throw new SyncError('item', `no content for ${itemId}`, { code: 'not-found' });
    this.downloads++;
    const slice = body.subarray(options.start ?? 0);
    this.bytesServed += slice.length;
    return Readable.from([slice]);
  }
}
