import type { Readable } from 'node:stream';
import { staticTokenProvider } from '../../../src/core/auth/token-provider.js';
import { GraphClient, type GraphClientOptions } from '../../../src/core/graph/client.js';
import { QuickXorHash } from '../../../src/core/hash/quickxor.js';
import { Pacer } from '../../../src/core/net/pacer.js';
import { SIM_TOKEN, type GraphSim } from '../../sim/graph/index.js';

/** A client on the simulator with quick back-off, so retry tests take milliseconds. */
export function clientFor(
  sim: GraphSim,
  overrides: Partial<GraphClientOptions> = {},
): { client: GraphClient; pacer: Pacer } {
  const pacer = overrides.pacer ?? new Pacer({ service: 'graph', baseDelayMs: 5, maxDelayMs: 20 });
  const client = new GraphClient({
    graphUrl: sim.url,
    tokens: staticTokenProvider(SIM_TOKEN),
    pacer,
    ...overrides,
  });
  return { client, pacer };
}

/** Reads a stream to the end: its bytes and their QuickXorHash. */
export async function collect(stream: Readable): Promise<{ bytes: Buffer; hash: string }> {
  const parts: Buffer[] = [];
  const hash = new QuickXorHash();
  for await (const chunk of stream) {
    parts.push(chunk as Buffer);
    hash.update(chunk as Buffer);
  }
  return { bytes: Buffer.concat(parts), hash: hash.digest() };
}

/** Holds the first `n` requests at the simulator until all of them have arrived. */
export function barrier(sim: GraphSim, n: number): () => void {
  let arrived = 0;
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  return sim.onRequest(async () => {
    if (arrived >= n) return;
    if (++arrived === n) release();
    await open;
  });
}
