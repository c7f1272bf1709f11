// The Graph simulator in a process of its own, so a scenario's peak RSS measures the product
// only (a 1,000,000-item simulated drive alone takes hundreds of MB). Started by bench/run.ts;
// prints one JSON line `{"url", "control"}` and then answers a small control API over HTTP:
//   POST /build    {"drives": [DriveSpec…]}  adds files (see buildDrive), answers the totals
//   POST /rename   {"path", "name"}          renames an item (a folder keeps its subtree)
//   GET  /counters                           requests by route, body bytes served
//   POST /reset                              zeroes the counters
//   POST /quit
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGraphSim } from '../test/sim/graph/index.js';
import { buildDrive, type DriveSpec } from './drive-spec.js';

const sim = await startGraphSim({ pageSize: 200 });

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': text.length });
  res.end(text);
}

function counters(): Record<string, unknown> {
  const byRoute: Record<string, number> = {};
  for (const r of sim.counters.requests) byRoute[r.route] = (byRoute[r.route] ?? 0) + 1;
  return {
    byRoute,
    bytesServed: sim.counters.bytesServed(),
    completeDownloads: sim.counters.completeDownloads(),
  };
}

const control = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  (async () => {
    if (req.method === 'POST' && url.pathname === '/build') {
      const { drives } = (await body(req)) as { drives: DriveSpec[] };
      const started = performance.now();
      const totals = drives.map((d) => buildDrive(sim.drive, d));
      return reply(res, 200, { totals, buildMs: Math.round(performance.now() - started) });
    }
    if (req.method === 'POST' && url.pathname === '/rename') {
      const { path, name } = (await body(req)) as { path: string; name: string };
      sim.drive.rename(path, name);
      return reply(res, 200, { ok: true });
    }
    if (req.method === 'GET' && url.pathname === '/counters') return reply(res, 200, counters());
    if (req.method === 'POST' && url.pathname === '/reset') {
      sim.counters.reset();
      return reply(res, 200, { ok: true });
    }
    if (req.method === 'POST' && url.pathname === '/quit') {
      reply(res, 200, { ok: true });
      await sim.close();
      control.close();
      return;
    }
    reply(res, 404, { error: `no such control ${req.method} ${url.pathname}` });
  })().catch((error: unknown) => reply(res, 500, { error: String(error) }));
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
const port = (control.address() as AddressInfo).port;
process.stdout.write(`${JSON.stringify({ url: sim.url, control: `http://127.0.0.1:${port}` })}\n`);
process.on('SIGTERM', () => process.exit(0));
