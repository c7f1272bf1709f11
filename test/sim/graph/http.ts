import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { RequestRecord } from './counters.js';

/** One request in flight: the record the counters keep, and how to answer it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  record: RequestRecord;
  now: () => number;
}

export function send(
  ex: Exchange,
  status: number,
  headers: Record<string, string | number>,
  body?: string | Buffer,
): void {
  ex.record.status = status;
  ex.record.respondedAt = ex.now();
  const requestId = randomUUID();
  ex.res.writeHead(status, {
    'request-id': requestId,
    'client-request-id': requestId,
    ...(body === undefined ? {} : { 'Content-Length': Buffer.byteLength(body) }),
    ...headers,
  });
  ex.res.end(body);
}

export function sendJson(
  ex: Exchange,
  status: number,
  value: unknown,
  headers: Record<string, string | number> = {},
): void {
  send(ex, status, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(value));
}

/** Graph's error envelope. */
export function sendError(
  ex: Exchange,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string | number> = {},
): void {
  sendJson(
    ex,
    status,
    {
      error: {
        code,
        message,
        innerError: { date: new Date(ex.now()).toISOString().slice(0, 19) },
      },
    },
    headers,
  );
}

/** Resolves true on 'drain', false if the connection closed first. */
export function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Resolves once a chunk is handed to the OS (or the connection failed). */
export const written = (res: ServerResponse, chunk: Buffer): Promise<void> =>
  new Promise((resolve) => res.write(chunk, () => resolve()));

/** Parses a single `bytes=` range against a size; 'invalid' means answer 416. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined; // multiple or malformed ranges: ignored, whole body
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  let start: number;
  let end: number;
  if (a === '') {
    start = Math.max(0, size - Number(b));
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}
