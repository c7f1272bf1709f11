import { Readable } from 'node:stream';
import { SyncError, itemError, retryable } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { GraphHttp } from './http.js';
import type { DownloadOptions } from './types.js';

export interface DownloadDeps {
  http: GraphHttp;
  /** `{graphUrl}/me/drive/items/{id}/content` */
  contentUrl: string;
  itemId: string;
  logger: Logger;
  /** Interruptions tolerated without real progress before the item fails. */
  maxResumes: number;
  /** A body that sends nothing for this long is dropped and resumed. */
  idleTimeoutMs: number;
}

/** Progress that earns back the resume budget: a long file on a flaky link still completes. */
const PROGRESS_REFUND = 8 * 1024 * 1024;

interface Opened {
  res: Response;
  /** Bytes at the head of this body that precede our position (server ignored Range). */
  skip: number;
}

/**
 * Opens an item's content as a stream that resumes by itself: a reset connection, a body cut
 * short or a stalled one is picked up with `Range` from the byte reached, through a fresh
 * pre-authenticated URL when the old one expired. Errors before the first byte reject here.
 */
export async function openDownload(
  deps: DownloadDeps,
  options: DownloadOptions = {},
): Promise<Readable> {
  const start = options.start ?? 0;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new TypeError(`Expected \`start\` to be a whole number >= 0, got ${start}`);
  }
  const transfer = new Transfer(deps, start, options);
  let first: Opened;
  try {
    first = await transfer.open();
  } catch (error) {
    transfer.close(error);
    throw error;
  }
  const stream = Readable.from(transfer.run(first), { objectMode: false });
  const signal = options.signal;
  const onAbort = (): void => void stream.destroy(signal?.reason as Error);
  signal?.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => {
    signal?.removeEventListener('abort', onAbort);
    transfer.close(new Error('download stream closed'));
  });
  return stream;
}

class Transfer {
  private url: string | undefined;
  private position: number;
  private total: number | undefined;
  /** Aborted when the stream closes or the caller aborts: ends whatever is in flight. */
  private readonly life = new AbortController();
  private attempt = new AbortController();
  private readonly unlinkCaller: () => void;

  constructor(
    private readonly deps: DownloadDeps,
    start: number,
    options: DownloadOptions,
  ) {
    this.position = start;
    this.total = options.size;
    const signal = options.signal;
    const onAbort = (): void => this.life.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    this.unlinkCaller = () => signal?.removeEventListener('abort', onAbort);
    if (signal?.aborted) onAbort();
  }

  close(reason: unknown): void {
    this.unlinkCaller();
    if (!this.life.signal.aborted) this.life.abort(reason);
  }

  /** A response whose body starts at (or, when Range was ignored, before) our position. */
  async open(): Promise<Opened> {
    this.attempt = linked(this.life.signal);
    const signal = this.attempt.signal;
    const headers: Record<string, string> =
      this.position > 0 ? { Range: `bytes=${this.position}-` } : {};
    for (let fresh = 0; ; fresh++) {
      if (this.url === undefined) {
        const resolved = await this.deps.http.authorized(
          this.deps.contentUrl,
          'content',
          async (res): Promise<{ url: string } | { res: Response }> => {
            if (res.status < 300 || res.status >= 400) return { res };
            const location = res.headers.get('location');
            await res.body?.cancel();
            if (!location)
              throw retryable('Graph redirected a download without a Location', {
                code: 'graph-bad-response',
              });
            return { url: new URL(location, this.deps.contentUrl).href };
          },
          { signal, headers, redirect: 'manual' },
        );
        // Graph normally redirects; should it serve the bytes itself, take them.
        if ('res' in resolved) return this.accept(resolved.res);
        this.url = resolved.url;
      }
      try {
        return this.accept(
          await this.deps.http.anonymous(this.url, 'download', { signal, headers }),
        );
      } catch (error) {
        if (!(error instanceof SyncError && error.code === 'download-url-expired')) throw error;
        this.url = undefined;
        if (fresh >= 1) {
          throw itemError('OneDrive refused a freshly issued download link', {
            code: 'download-denied',
            cause: error,
          });
        }
        this.deps.logger.debug(
          `download link for item ${this.deps.itemId} expired; asking for a new one`,
        );
      }
    }
  }

  async *run(first: Opened): AsyncGenerator<Buffer> {
    let current = first;
    let resumes = 0;
    for (;;) {
      let progressed = 0;
      try {
        let skip = current.skip;
        for await (const raw of this.chunks(current.res)) {
          let chunk = raw;
          if (skip > 0) {
            if (chunk.length <= skip) {
              skip -= chunk.length;
              continue;
            }
            chunk = chunk.subarray(skip);
            skip = 0;
          }
          if (this.total !== undefined && this.position + chunk.length > this.total) {
            throw this.sizeMismatch(`more than the expected ${this.total} bytes`);
          }
          this.position += chunk.length;
          progressed += chunk.length;
          yield chunk;
        }
        if (skip === 0 && (this.total === undefined || this.position >= this.total)) return;
        throw retryable(`the body ended at byte ${this.position} of ${this.total ?? '?'}`, {
          code: 'download-truncated',
        });
      } catch (error) {
        if (this.life.signal.aborted) throw this.life.signal.reason;
        if (error instanceof SyncError && error.kind !== 'retryable') throw error;
        if (progressed >= PROGRESS_REFUND) resumes = 0;
        if (++resumes > this.deps.maxResumes) {
          throw itemError(
            `The download of item ${this.deps.itemId} kept breaking off (last at byte ${this.position}).`,
            {
              code: 'download-interrupted',
              hint: 'The connection to OneDrive is unstable; the next round tries again.',
              cause: error,
            },
          );
        }
        const why = error instanceof Error ? error.message : String(error);
        this.deps.logger.debug(
          `download of item ${this.deps.itemId} interrupted at byte ${this.position} (${why}); resuming`,
        );
        current = await this.open();
      }
    }
  }

  private accept(res: Response): Opened {
    if (res.status === 206) {
      const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
      if (!m || Number(m[1]) !== this.position) {
        void res.body?.cancel().catch(() => undefined);
        throw retryable(`the server sent a range other than the one asked for`, {
          code: 'download-bad-range',
        });
      }
      if (m[2] !== '*') this.learnTotal(Number(m[2]), res);
      return { res, skip: 0 };
    }
    const length = res.headers.get('content-length');
    if (length !== null) this.learnTotal(Number(length), res);
    // 200 to a Range request: the whole body comes again; drop what we already have.
    return { res, skip: this.position };
  }

  private learnTotal(total: number, res: Response): void {
    if (this.total === undefined) this.total = total;
    else if (total !== this.total) {
      void res.body?.cancel().catch(() => undefined);
      throw this.sizeMismatch(`${total} bytes where ${this.total} were expected`);
    }
  }

  private sizeMismatch(detail: string): SyncError {
    return itemError(`The content of item ${this.deps.itemId} changed size: ${detail}.`, {
      code: 'download-size-mismatch',
      hint: 'The file changed in OneDrive since it was listed; the next round picks up the new version.',
    });
  }

  /** The body's chunks, failing the attempt when nothing arrives for `idleTimeoutMs`. */
  private async *chunks(res: Response): AsyncGenerator<Buffer> {
    if (!res.body) return;
    const reader = res.body.getReader();
    const attempt = this.attempt;
    try {
      for (;;) {
        const timer = setTimeout(() => {
          attempt.abort(
            retryable(`no data for ${this.deps.idleTimeoutMs} ms`, { code: 'download-stalled' }),
          );
        }, this.deps.idleTimeoutMs);
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } finally {
          clearTimeout(timer);
        }
        if (next.done) return;
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      }
    } finally {
      reader.cancel().catch(() => undefined);
    }
  }
}

/** A controller that aborts with its parent, with the parent's reason. */
function linked(parent: AbortSignal): AbortController {
  const child = new AbortController();
  if (parent.aborted) child.abort(parent.reason);
  else parent.addEventListener('abort', () => child.abort(parent.reason), { once: true });
  return child;
}
