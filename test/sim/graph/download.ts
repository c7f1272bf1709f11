import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Counters } from './counters.js';
import type { SimDrive } from './drive.js';
import type { Faults } from './faults.js';
import { drained, parseRange, send, sendError, written, type Exchange } from './http.js';

export interface DownloadHostOptions {
  origin: string;
  ttlMs: number;
  expiredStatus: 401 | 403;
  /** Answer every Range request with 200 and the whole body. */
  ignoreRange: boolean;
}

/**
 * The pre-authenticated download host: URLs carry a signed, expiring `tempauth` and must be
 * fetched WITHOUT an Authorization header, like OneDrive's.
 */
export class DownloadHost {
  private readonly secret = randomBytes(32);

  constructor(
    private readonly drive: SimDrive,
    private readonly faults: Faults,
    private readonly counters: Counters,
    private readonly now: () => number,
    private readonly options: DownloadHostOptions,
  ) {}

  urlFor(id: string): string {
    const payload = Buffer.from(
      JSON.stringify({ id, exp: this.now() + this.options.ttlMs, g: this.faults.urlGeneration }),
    ).toString('base64url');
    return `${this.options.origin}/dl/${encodeURIComponent(id)}?tempauth=${payload}.${this.sign(payload)}`;
  }

  /** GET /me/drive/items/{id}/content (already authorised): 302 to a fresh URL. */
  redirect(ex: Exchange, id: string): void {
    const item = this.drive.raw(id);
    if (!item || item.deleted) return sendError(ex, 404, 'itemNotFound', 'Item does not exist');
    if (item.kind !== 'file') {
      return sendError(ex, 400, 'invalidRequest', 'The item is not a file and has no content');
    }
    send(ex, 302, { Location: this.urlFor(item.id) }, '');
  }

  /** GET /dl/{id}?tempauth=… */
  async serve(ex: Exchange, id: string): Promise<void> {
    const { req, res } = ex;
    if (req.headers.authorization !== undefined) {
      return sendError(
        ex,
        401,
        'unauthenticated',
        'Pre-authenticated URLs take no Authorization header',
      );
    }
    const check = this.verify(ex.url.searchParams.get('tempauth'), id);
    if (check === 'invalid') return sendError(ex, 401, 'unauthenticated', 'Invalid tempauth');
    if (check === 'expired') {
      return sendError(ex, this.options.expiredStatus, 'unauthenticated', 'The link has expired');
    }
    const item = this.drive.raw(id);
    const content = item && !item.deleted ? item.content : undefined;
    if (!item || !content) return sendError(ex, 404, 'itemNotFound', 'Item does not exist');

    const size = content.size;
    const asked = parseRange(req.headers.range, size);
    const ignore =
      asked !== undefined &&
      (this.options.ignoreRange || this.faults.take(['ignoreRange'], 'download', id));
    const range = ignore ? undefined : asked;
    if (range === 'invalid') {
      return send(ex, 416, { 'Content-Range': `bytes */${size}` }, '');
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const headers: Record<string, string | number> = {
      'Content-Type': item.mimeType ?? 'application/octet-stream',
      'Content-Length': end - start + 1,
      'Accept-Ranges': 'bytes',
      ETag: this.drive.eTag(item),
    };
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    ex.record.status = range ? 206 : 200;
    ex.record.respondedAt = this.now();
    res.writeHead(range ? 206 : 200, headers);

    const reset = this.faults.take(['reset'], 'download', id);
    const stall = this.faults.take(['stall'], 'download', id);
    const stream = content.stream(start, end + 1);
    let sent = 0;
    try {
      for await (const raw of stream) {
        let chunk = raw as Buffer;
        if (reset && sent + chunk.length >= reset.afterBytes) {
          chunk = chunk.subarray(0, reset.afterBytes - sent);
          if (chunk.length > 0) {
            await written(res, chunk);
            this.counters.addServed(id, chunk.length);
          }
          req.socket.destroy();
          return;
        }
        if (stall && sent <= stall.afterBytes && sent + chunk.length > stall.afterBytes) {
          const head = chunk.subarray(0, stall.afterBytes - sent);
          if (head.length > 0) await written(res, head);
          this.counters.addServed(id, head.length);
          sent += head.length;
          chunk = chunk.subarray(head.length);
          await quiet(res, stall.ms);
          if (res.destroyed) return;
        }
        const more = res.write(chunk);
        this.counters.addServed(id, chunk.length);
        sent += chunk.length;
        if (!more && !(await drained(res))) return;
        if (res.destroyed) return;
      }
      res.end();
      if (end === size - 1) this.counters.addComplete(id);
    } finally {
      stream.destroy();
    }
  }

  private verify(tempauth: string | null, id: string): 'ok' | 'invalid' | 'expired' {
    const [payload, signature] = (tempauth ?? '').split('.');
    if (!payload || !signature) return 'invalid';
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      id: string;
      exp: number;
      g: number;
    };
    if (claims.id !== id) return 'invalid';
    return claims.exp <= this.now() || claims.g < this.faults.urlGeneration ? 'expired' : 'ok';
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** Waits `ms`, or less if the client hangs up meanwhile. */
function quiet(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}
