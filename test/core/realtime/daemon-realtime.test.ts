import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CliIO } from '../../../src/cli/command.js';
import { createDaemonCommand } from '../../../src/cli/commands/daemon.js';
import { runCli } from '../../../src/cli/run.js';
import { CLIENT_ID, CLIENT_SECRET, identityFixture } from '../auth/fixtures.js';
import { FakeClock } from '../../helpers/clock.js';
import { freshBucket } from '../../helpers/s3.js';
import { assertBucketMatchesDrive } from '../../integration/bucket.js';
import { startGraphSim } from '../../sim/graph/index.js';
import { playWebFlow } from '../../sim/identity/browser.js';

/** Polls (real time, bounded) until `check` holds: the daemon works on its own schedule. */
async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('with realtime on, the daemon runs a round soon after a change notification, long before the interval', async (t) => {
  const fx = await identityFixture('web');
  const graph = await startGraphSim({ tokens: fx.sim.issuedAccessTokens, pageSize: 3 });
  t.after(() => graph.close());
  graph.drive.addFile('Documents/a.txt', 'alpha');
  const s3 = await freshBucket();
  const port = fx.webServer.bindPort;
  const file = join(fx.dir, 'config.toml');
  const logPath = join(fx.dir, 'cloud-sync.log');
  writeFileSync(
    file,
    `[onedrive]
client_id = "${CLIENT_ID}"
client_secret = "${CLIENT_SECRET}"
redirect_uri = "http://127.0.0.1:${port}/code"
authority = "${fx.sim.authority()}"
graph_url = "${graph.url}"
tokens_path = "${fx.tokensPath}"
realtime = true

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
log_path = "${logPath}"
`,
  );

  const clock = new FakeClock(Date.now());
  const stop = new AbortController();
  let stdout = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stdout += text) },
    env: {},
    signal: stop.signal,
  };
  const daemon = runCli(['daemon', '--config', file], io, [
    createDaemonCommand({ networkClient: fx.network, clock, graceMs: 5_000 }),
  ]);
  t.after(() => stop.abort());
  await until('the listener', () => stdout.includes('To authorize, open'));
  assert.equal(graph.notifications.connections, 0, 'no notifications before authorization');

  await playWebFlow(`http://127.0.0.1:${port}/grant`, fx.sim.ca);
  await until('the first round', () => /uploaded/i.test(stdout));
  // Authorizing cut the watcher's back-off short: it subscribes without waiting.
  await graph.notifications.waitForConnections(1);

  graph.drive.addFile('Documents/b.txt', 'bravo');
  const deltasBefore = graph.counters.count('delta');
  const started = clock.now();
  assert.equal(graph.notifications.notify(), 1);
  // The fake clock moves one second per poll: the notification's debounce (10 s) passes,
  // the hour of the interval does not.
  await until('the round after the notification', () => {
    if ((stdout.match(/uploaded/gi)?.length ?? 0) >= 2) return true;
    if (clock.now() - started < 5 * 60_000) void clock.advance(1_000);
    return false;
  });
  assert.ok(clock.now() - started < 5 * 60_000, 'well before the 1 h interval');
  assert.ok(graph.counters.count('delta') > deltasBefore);
  await assertBucketMatchesDrive(s3.client, s3.bucket, graph.drive, { prefix: '' });
  await until('the log line', () => existsSync(logPath) && /\(realtime\)/.test(read(logPath)));

  stop.abort(Object.assign(new Error('SIGTERM'), { name: 'AbortError' }));
  assert.equal(await daemon, 0);
  await graph.notifications.waitForNoConnections();
  const log = read(logPath);
  assert.ok(graph.notifications.issuedCount >= 1);
  for (const url of graph.notifications.issued) {
    const token = new URL(url).searchParams.get('token') as string;
    assert.ok(!log.includes(token), 'the notificationUrl credential never reaches the log');
  }
});

function read(path: string): string {
  return readFileSync(path, 'utf8');
}
