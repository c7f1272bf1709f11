import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The S3 operation a request is, told from its method, query and headers (path style). */
export type S3ProxyOp =
  | 'PutObject'
  | 'CopyObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'ListMultipartUploads'
  | 'ListObjectsV2'
  | 'HeadObject'
  | 'GetObject'
  | 'DeleteObjects'
  | 'DeleteObject'
  | 'Other';

export interface S3ProxyRequest {
  op: S3ProxyOp;
  method: string;
  /** The object key (percent-decoded), '' for bucket-level requests. */
  key: string;
  /** Epoch ms when the request arrived. */
  at: number;
  /** Epoch ms when the answer (forwarded or made up) was sent. */
  respondedAt: number | undefined;
  status: number | undefined;
  /** Whether the proxy answered itself instead of forwarding. */
  injected: boolean;
}

/**
 * What to do with one request:
 *  - forward: pass it to the real S3 server and its answer back (the default);
 *  - respond: answer with this S3 error instead (e.g. 503 SlowDown), never forwarding;
 *  - hold: never forward and never answer (the caller's effect does not happen);
 *  - apply-then-hold: forward it (the effect happens on S3) and never deliver the answer;
 *  - apply-then-respond: forward it, then answer with an error instead (a lost answer).
 * A held request stays open until the client goes away or the proxy closes.
 */
export type S3ProxyDecision =
  | { kind: 'forward' }
  | {
      kind: 'respond';
      status: number;
      code: string;
      message?: string;
      headers?: Record<string, string>;
    }
  | { kind: 'hold' }
  | { kind: 'apply-then-hold'; onApplied?: () => void }
  | { kind: 'apply-then-respond'; status: number; code: string };

export type S3ProxyHook = (
  req: S3ProxyRequest,
) => S3ProxyDecision | undefined | Promise<S3ProxyDecision | undefined>;

export interface S3Proxy {
  /** Endpoint to configure as `[aws] endpoint` instead of the real server's. */
  readonly endpoint: string;
  readonly requests: S3ProxyRequest[];
  /** Decides each request (first hook that returns a decision wins). Returns the remover. */
  onRequest(hook: S3ProxyHook): () => void;
  count(op?: S3ProxyOp): number;
  close(): Promise<void>;
}

function classify(req: IncomingMessage, url: URL): { op: S3ProxyOp; key: string } {
  const q = url.searchParams;
  // Path style: /bucket/key…
  const [, , ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const copy = req.headers['x-amz-copy-source'] !== undefined;
  const method = req.method ?? 'GET';
  let op: S3ProxyOp = 'Other';
  if (method === 'PUT') {
    if (q.has('partNumber') && q.has('uploadId')) op = copy ? 'UploadPartCopy' : 'UploadPart';
    else if (key) op = copy ? 'CopyObject' : 'PutObject';
  } else if (method === 'POST') {
    if (q.has('delete')) op = 'DeleteObjects';
    else if (q.has('uploads')) op = 'CreateMultipartUpload';
    else if (q.has('uploadId')) op = 'CompleteMultipartUpload';
  } else if (method === 'DELETE') {
    op = q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  } else if (method === 'HEAD') {
    if (key) op = 'HeadObject';
  } else if (method === 'GET') {
    if (!key && q.has('uploads')) op = 'ListMultipartUploads';
    else if (!key && q.get('list-type') === '2') op = 'ListObjectsV2';
    else if (key && q.has('uploadId')) op = 'ListParts';
    else if (key) op = 'GetObject';
  }
  return { op, key };
}

function s3ErrorBody(code: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message>` +
    '<RequestId>proxy</RequestId><HostId>proxy</HostId></Error>'
  );
}

/**
 * A small HTTP proxy in front of the real local S3 server (moto), so tests can inject faults at
 * the HTTP level — throttling, lost answers, requests that never arrive — while the SDK talks
 * real HTTP and nothing in the product is mocked. Signatures stay valid: the Host header is
 * passed through unchanged (moto does not check signatures anyway).
 */
export async function startS3Proxy(upstream: string): Promise<S3Proxy> {
  const target = new URL(upstream);
  const hooks: S3ProxyHook[] = [];
  const requests: S3ProxyRequest[] = [];
  const sockets = new Set<Socket>();

  async function decide(record: S3ProxyRequest): Promise<S3ProxyDecision> {
    for (const hook of [...hooks]) {
      const d = await hook(record);
      if (d) return d;
    }
    return { kind: 'forward' };
  }

  function answer(
    res: ServerResponse,
    record: S3ProxyRequest,
    status: number,
    code: string,
    message?: string,
    headers?: Record<string, string>,
  ): void {
    record.injected = true;
    record.status = status;
    record.respondedAt = Date.now();
    const body = s3ErrorBody(code, message ?? 'Injected by the test proxy');
    res.writeHead(status, {
      'Content-Type': 'application/xml',
      'Content-Length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  }

  /** `instead`: what the client gets in place of S3's answer (undefined: never answered). */
  function forward(
    req: IncomingMessage,
    res: ServerResponse,
    record: S3ProxyRequest,
    deliver: boolean,
    instead?: { status: number; code: string },
    onApplied?: () => void,
  ): void {
    const up = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstreamRes) => {
        if (!deliver) {
          // The effect happened on S3; the caller never learns it.
          upstreamRes.resume();
          record.status = upstreamRes.statusCode;
          upstreamRes.on('end', () => {
            if (instead) answer(res, record, instead.status, instead.code);
            onApplied?.();
          });
          return;
        }
        record.status = upstreamRes.statusCode;
        record.respondedAt = Date.now();
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const record: S3ProxyRequest = {
      ...classify(req, url),
      method: req.method ?? 'GET',
      at: Date.now(),
      respondedAt: undefined,
      status: undefined,
      injected: false,
    };
    requests.push(record);
    // Hold the body until the decision is made; forwarding pipes it on.
    req.pause();
    decide(record)
      .then((d) => {
        if (d.kind === 'forward') return forward(req, res, record, true);
        if (d.kind === 'apply-then-hold') {
          return forward(req, res, record, false, undefined, d.onApplied);
        }
        if (d.kind === 'apply-then-respond') return forward(req, res, record, false, d);
        if (d.kind === 'hold') return; // never answered
        req.resume(); // drain what the client sends
        answer(res, record, d.status, d.code, d.message, d.headers);
      })
      .catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    requests,
    onRequest(hook) {
      hooks.push(hook);
      return () => {
        const i = hooks.indexOf(hook);
        if (i >= 0) hooks.splice(i, 1);
      };
    },
    count: (op) => (op ? requests.filter((r) => r.op === op).length : requests.length),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
