import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { createDaemonCommand } from '../../src/cli/commands/daemon.js';
import type { CliIO } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/run.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  identityFixture,
  type IdentityFixture,
} from '../core/auth/fixtures.js';
import { SendGridStub } from '../core/notify/sendgrid-stub.js';
import { FakeClock } from '../helpers/clock.js';
import { freshBucket } from '../helpers/s3.js';
import { startGraphSim, type GraphSim } from '../sim/graph/index.js';

export const SENDGRID_KEY =
  'SG.daemonTestKey_abcdefghij.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

/** Polls (real time, bounded) until `check` holds: the daemon works on its own schedule. */
export async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface DaemonWorld {
  fx: IdentityFixture;
  graph: GraphSim;
  s3: Awaited<ReturnType<typeof freshBucket>>;
  mail: SendGridStub;
  clock: FakeClock;
  port: number;
  output(): string;
  /** Runs the real daemon command in-process (again after a stop); `stop()` resolves its exit code. */
  start(): void;
  stop(): Promise<number>;
}

/**
 * The daemon's whole world on loopback: the identity simulator (Web flow, plain HTTP listener on
 * loopback), the Graph simulator accepting the tokens it issues, moto, a SendGrid stand-in, and
 * a fake clock for the schedule (requests themselves run in real time).
 */
export async function daemonWorld(t: TestContext): Promise<DaemonWorld> {
  const fx = await identityFixture('web');
  const graph = await startGraphSim({ tokens: fx.sim.issuedAccessTokens, pageSize: 3 });
  const s3 = await freshBucket();
  const mail = new SendGridStub(SENDGRID_KEY);
  const mailUrl = await mail.start();
  const port = fx.webServer.bindPort;
  const file = join(fx.dir, 'config.toml');
  writeFileSync(
    file,
    `[onedrive]
client_id = "${CLIENT_ID}"
client_secret = "${CLIENT_SECRET}"
redirect_uri = "http://127.0.0.1:${port}/code"
authority = "${fx.sim.authority()}"
graph_url = "${graph.url}"
tokens_path = "${fx.tokensPath}"

[aws]
access_key_id = "test"
secret_access_key = "test"
bucket = "${s3.bucket}"
endpoint = "${s3.endpoint}"

[mail]
api_key = "${SENDGRID_KEY}"
api_url = "${mailUrl}"
from = "Backup <backup@example.com>"
to = "me@example.com"

[web_server]
bind_address = "127.0.0.1"
bind_port = ${port}

[general]
interval = "1h"
verify_interval = "off"
state_path = "${fx.dir}/state.db"
log_path = "${fx.dir}/cloud-sync.log"
`,
  );
  const clock = new FakeClock(Date.now());
  let controller = new AbortController();
  let stdout = '';
  let running: Promise<number> | undefined;
  // The daemon first (its keep-alive connections would hold the servers open), then the servers.
  t.after(async () => {
    controller.abort();
    await running;
    await graph.close();
    await mail.stop();
  });
  return {
    fx,
    graph,
    s3,
    mail,
    clock,
    port,
    output: () => stdout,
    start() {
      controller = new AbortController();
      const io: CliIO = {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stdout += text) },
        env: {},
        signal: controller.signal,
      };
      running = runCli(['daemon', '--config', file], io, [
        createDaemonCommand({ networkClient: fx.network, clock, graceMs: 5_000 }),
      ]);
    },
    async stop() {
      controller.abort(Object.assign(new Error('SIGTERM'), { name: 'AbortError' }));
      return (await running) ?? -1;
    },
  };
}
