import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDaemonCommand } from '../../src/cli/commands/daemon.js';
import type { CliIO } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/run.js';
import { CLIENT_ID, CLIENT_SECRET, identityFixture } from '../core/auth/fixtures.js';
import { FakeClock } from '../helpers/clock.js';
import { freshBucket } from '../helpers/s3.js';
import { assertBucketMatchesDrive } from '../integration/bucket.js';
import { playWebFlow } from '../sim/identity/browser.js';
import { startGraphSim } from '../sim/graph/index.js';

/** Polls (real time, bounded) until `check` holds: the daemon works on its own schedule. */
async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('the daemon completes /grant → /code, then runs rounds on its schedule, and stops cleanly', async (t) => {
  const fx = await identityFixture('web');
  const graph = await startGraphSim({ tokens: fx.sim.issuedAccessTokens, pageSize: 3 });
  graph.drive.addFile('Documents/a.txt', 'alpha');
  graph.drive.addFile('Documents/Sub/b é #1.txt', 'beta');
  const s3 = await freshBucket();
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
  const stop = new AbortController();
  let stdout = '';
  const io: CliIO = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stdout += t) },
    env: {},
    signal: stop.signal,
  };
  const daemon = runCli(['daemon', '--config', file], io, [
    createDaemonCommand({ networkClient: fx.network, clock, graceMs: 5_000 }),
  ]);
  t.after(() => stop.abort());
  await until('the listener', () => stdout.includes('To authorize, open'));
  assert.match(stdout, /authorization: not-authorized/);
  assert.equal(graph.counters.count('delta'), 0, 'no round before authorization');

  const hops = await playWebFlow(`http://127.0.0.1:${port}/grant`, fx.sim.ca);
  assert.equal(hops.at(-1)?.status, 200);
  await until('the first round', () => /Round \d+|uploaded/i.test(stdout));
  await assertBucketMatchesDrive(s3.client, s3.bucket, graph.drive, { prefix: '' });

  // The schedule: nothing happens before the interval, one round after it.
  graph.drive.addFile('Documents/c.txt', 'gamma');
  const deltasBefore = graph.counters.count('delta');
  await clock.advance(30 * 60_000);
  assert.equal(graph.counters.count('delta'), deltasBefore);
  await clock.advance(30 * 60_000);
  await until('the scheduled round', () => (stdout.match(/uploaded/gi)?.length ?? 0) >= 2);
  await assertBucketMatchesDrive(s3.client, s3.bucket, graph.drive, { prefix: '' });

  stop.abort(Object.assign(new Error('SIGTERM'), { name: 'AbortError' }));
  assert.equal(await daemon, 0);
  assert.match(stdout, /cloud-sync daemon: stopped\./);
  await graph.close();
});
