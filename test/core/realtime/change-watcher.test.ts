import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { staticTokenProvider } from '../../../src/core/auth/token-provider.js';
import type { Logger } from '../../../src/core/log/logger.js';
import {
  ChangeWatcher,
  connectSocketIo,
  scrub,
  type ChangeWatcherOptions,
  type ConnectChannel,
} from '../../../src/core/realtime/index.js';
import { FakeClock } from '../../helpers/clock.js';
import { startGraphSim, SIM_TOKEN, type GraphSim } from '../../sim/graph/index.js';

/** Polls (real time, bounded): socket events arrive over real loopback connections. */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at =
    (level: string) =>
    (message: string, ...details: unknown[]): void =>
      void lines.push(`${level} ${message} ${details.map((d) => String(d)).join(' ')}`);
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

interface Rig {
  sim: GraphSim;
  clock: FakeClock;
  watcher: ChangeWatcher;
  changes: () => number;
  logger: ReturnType<typeof recordingLogger>;
  /** Every notificationUrl the watcher connected to. */
  urls: string[];
}

async function rig(t: TestContext, options: Partial<ChangeWatcherOptions> = {}): Promise<Rig> {
  const clock = new FakeClock();
  const sim = await startGraphSim({ now: () => clock.now() });
  let changes = 0;
  const logger = recordingLogger();
  const urls: string[] = [];
  const connect: ConnectChannel = (url, handlers, opts) => {
    urls.push(url);
    return connectSocketIo(url, handlers, opts);
  };
  const watcher = new ChangeWatcher({
    graphUrl: sim.url,
    tokens: staticTokenProvider(SIM_TOKEN),
    clock,
    logger,
    connect,
    onChange: () => void changes++,
    // Back-off exactly at its ceiling, so tests know how far to move the clock.
    random: () => 1,
    ...options,
  });
  t.after(async () => {
    await watcher.stop();
    await sim.close();
  });
  return { sim, clock, watcher, changes: () => changes, logger, urls };
}

/** Started and connected. */
async function connected(t: TestContext, options: Partial<ChangeWatcherOptions> = {}) {
  const r = await rig(t, options);
  r.watcher.start();
  await r.sim.notifications.waitForConnections(1);
  await until('the watcher to see its connection', () => r.watcher.connected);
  return r;
}

test('a change notification leads to exactly one onChange once the debounce has passed', async (t) => {
  const { sim, clock, watcher, changes } = await connected(t, { debounceMs: 10_000 });
  assert.equal(sim.notifications.notify(), 1);
  await until('the notification', () => watcher.stats.notifications === 1);
  await clock.advance(9_999);
  assert.equal(changes(), 0, 'not before the debounce has passed');
  await clock.advance(1);
  assert.equal(changes(), 1);
  await clock.advance(60_000);
  assert.equal(changes(), 1, 'and only once');
});

test('a burst of five notifications makes one onChange', async (t) => {
  const { sim, clock, watcher, changes } = await connected(t, { debounceMs: 10_000 });
  for (let i = 0; i < 5; i++) sim.notifications.notify();
  await until('five notifications', () => watcher.stats.notifications === 5);
  await clock.advance(10_000);
  assert.equal(changes(), 1);
  await clock.advance(60_000);
  assert.equal(changes(), 1);

  // A later change is a new window.
  sim.notifications.notify();
  await until('a sixth notification', () => watcher.stats.notifications === 6);
  await clock.advance(10_000);
  assert.equal(changes(), 2);
});

test('a dropped connection is replaced from a fresh subscription and still delivers', async (t) => {
  const { sim, clock, watcher, changes, urls } = await connected(t, {
    debounceMs: 1_000,
    minBackoffMs: 2_000,
  });
  assert.equal(sim.counters.count('subscription'), 1);
  sim.notifications.drop();
  await until('the drop to be noticed', () => !watcher.connected);
  await clock.advance(1_999);
  assert.equal(sim.counters.count('subscription'), 1, 'waits out the back-off first');
  await clock.advance(1);
  await sim.notifications.waitForConnections(1);
  await until('the reconnection', () => watcher.connected);
  assert.equal(sim.counters.count('subscription'), 2, 'a new subscription, not the old URL');
  assert.notEqual(urls[1], urls[0]);

  // Whatever changed while away is caught up with one round.
  await clock.advance(1_000);
  assert.equal(changes(), 1);
  sim.notifications.notify();
  await until('the notification', () => watcher.stats.notifications === 2);
  await clock.advance(1_000);
  assert.equal(changes(), 2);
});

test('an expired notificationUrl is never retried: the watcher subscribes again', async (t) => {
  const { sim, clock, watcher } = await connected(t, { minBackoffMs: 2_000 });
  sim.notifications.expire();
  await until('the disconnect', () => !watcher.connected);
  await clock.advance(2_000);
  await until('the reconnection', () => watcher.connected);
  assert.equal(sim.counters.count('subscription'), 2);
  assert.equal(sim.notifications.refused, 0, 'the expired URL was not tried again');
  assert.equal(sim.notifications.connections, 1);
});

test('the subscription is renewed before it expires, with the new connection open before the old closes', async (t) => {
  // Counts connections open on the client's side: make-before-break shows as two at once.
  let open = 0;
  let peak = 0;
  const connect: ConnectChannel = async (url, handlers, options) => {
    const channel = await connectSocketIo(url, handlers, options);
    peak = Math.max(peak, ++open);
    return { close: () => (open--, channel.close()) };
  };
  const { sim, clock, watcher, changes } = await connected(t, {
    renewBeforeMs: 120_000,
    debounceMs: 1_000,
    connect,
  });
  // The simulator's URLs live an hour by default; the fake clock has not moved since.
  await clock.advance(3_600_000 - 120_000 - 1);
  assert.equal(sim.counters.count('subscription'), 1);
  await clock.advance(1);
  await until('the renewal', () => sim.notifications.accepted === 2);
  await until('the old connection to close', () => sim.notifications.connections === 1);
  assert.equal(sim.counters.count('subscription'), 2);
  assert.ok(watcher.connected);
  assert.equal(peak, 2, 'the new connection opened before the old one closed');
  assert.equal(open, 1);
  await clock.advance(5_000);
  assert.equal(changes(), 0, 'no gap, so no catch-up round');
});

test('a subscription that expires very soon is renewed once a minute, never in a tight loop', async (t) => {
  const clock = new FakeClock();
  const sim = await startGraphSim({ now: () => clock.now(), notificationUrlTtlMs: 30_000 });
  const watcher = new ChangeWatcher({
    graphUrl: sim.url,
    tokens: staticTokenProvider(SIM_TOKEN),
    clock,
    onChange: () => undefined,
  });
  t.after(async () => {
    await watcher.stop();
    await sim.close();
  });
  watcher.start();
  await until('the connection', () => watcher.connected);
  await clock.advance(59_999);
  assert.equal(sim.counters.count('subscription'), 1);
  await clock.advance(1);
  await until('the renewal', () => sim.notifications.accepted === 2);
  assert.equal(sim.counters.count('subscription'), 2);
});

test('an authorization failure on the subscription request does not crash and is retried later', async (t) => {
  const r = await rig(t, { authRetryMs: 900_000 });
  r.sim.revokeAll();
  r.watcher.start();
  await until('the failed attempt', () => r.watcher.stats.failures === 1);
  // 401, then once more with a fresh token (GraphHttp's rule), then AuthError.
  assert.equal(r.sim.counters.count('subscription'), 2);
  assert.equal(r.watcher.connected, false);
  assert.ok(r.logger.lines.some((l) => /warn realtime: .*refused the access token/.test(l)));

  r.sim.acceptToken(SIM_TOKEN);
  await r.clock.advance(899_999);
  assert.equal(r.sim.counters.count('subscription'), 2, 'waits before asking again');
  await r.clock.advance(1);
  await until('the reconnection', () => r.watcher.connected);
  assert.equal(r.sim.counters.count('subscription'), 3);
});

test('retryNow() cuts an authorization back-off short', async (t) => {
  const r = await rig(t);
  r.sim.revokeAll();
  r.watcher.start();
  await until('the failed attempt', () => r.watcher.stats.failures === 1);
  r.sim.acceptToken(SIM_TOKEN);
  r.watcher.retryNow();
  await until('the reconnection', () => r.watcher.connected);
});

test('a throttled subscription request waits for Retry-After', async (t) => {
  const r = await rig(t, { minBackoffMs: 1_000 });
  r.sim.faults.throttle({ route: 'subscription', retryAfter: 30 });
  r.watcher.start();
  await until('the throttled attempt', () => r.watcher.stats.failures === 1);
  await r.clock.advance(29_999);
  assert.equal(r.sim.counters.count('subscription'), 1);
  await r.clock.advance(1);
  await until('the reconnection', () => r.watcher.connected);
});

test('stop() closes the socket, and a change still in its debounce window is dropped', async (t) => {
  const { sim, clock, watcher, changes } = await connected(t, { debounceMs: 10_000 });
  sim.notifications.notify();
  await until('the notification', () => watcher.stats.notifications === 1);
  await watcher.stop();
  assert.equal(watcher.connected, false);
  await sim.notifications.waitForNoConnections();
  await clock.advance(60_000);
  assert.equal(changes(), 0);
  assert.equal(sim.counters.count('subscription'), 1, 'nothing after stop');
});

test('stop() during a back-off ends at once and start() afterwards does nothing', async (t) => {
  const r = await rig(t);
  r.sim.faults.fail({ route: 'subscription', status: 500, count: Infinity });
  r.watcher.start();
  await until('the failed attempt', () => r.watcher.stats.failures === 1);
  await r.watcher.stop();
  r.watcher.start();
  await r.clock.advance(3_600_000);
  assert.equal(r.sim.counters.count('subscription'), 1);
});

test('a listener that throws is logged and the watcher keeps going', async (t) => {
  const clock = new FakeClock();
  const sim = await startGraphSim({ now: () => clock.now() });
  const logger = recordingLogger();
  let calls = 0;
  const watcher = new ChangeWatcher({
    graphUrl: sim.url,
    tokens: staticTokenProvider(SIM_TOKEN),
    clock,
    logger,
    debounceMs: 100,
    onChange: () => {
      calls++;
      throw new Error('listener broke');
    },
  });
  t.after(async () => {
    await watcher.stop();
    await sim.close();
  });
  watcher.start();
  await sim.notifications.waitForConnections(1);
  for (const n of [1, 2]) {
    sim.notifications.notify();
    await until('the notification', () => watcher.stats.notifications === n);
    await clock.advance(100);
  }
  assert.equal(calls, 2);
  assert.ok(logger.lines.some((l) => l.includes('listener broke')));
  assert.ok(watcher.connected);
});

test('logs never carry the notificationUrl or its credential, even when an error quotes it', async (t) => {
  const clock = new FakeClock();
  const sim = await startGraphSim({ now: () => clock.now() });
  const logger = recordingLogger();
  const urls: string[] = [];
  let refuse = true;
  const watcher = new ChangeWatcher({
    graphUrl: sim.url,
    tokens: staticTokenProvider(SIM_TOKEN),
    clock,
    logger,
    random: () => 1,
    minBackoffMs: 1_000,
    onChange: () => undefined,
    connect: (url, handlers, options) => {
      urls.push(url);
      if (refuse) return Promise.reject(new Error(`websocket error connecting to ${url}`));
      return connectSocketIo(url, handlers, options);
    },
  });
  t.after(async () => {
    await watcher.stop();
    await sim.close();
  });
  watcher.start();
  await until('the refused attempt', () => watcher.stats.failures === 1);
  refuse = false;
  await clock.advance(1_000);
  await until('the connection', () => watcher.connected);
  sim.notifications.drop();
  await until('the drop', () => !watcher.connected);

  const log = logger.lines.join('\n');
  assert.match(log, /websocket error connecting to \[notificationUrl\]/);
  for (const url of urls) {
    assert.ok(!log.includes(url));
    assert.ok(!log.includes(new URL(url).searchParams.get('token') as string));
  }
});

test('scrub removes the URL and each query value from a text', () => {
  const url = 'https://f3hb0mpua.svc.ms/notifications?token=abc123secret&applicationId=app-id-1';
  assert.equal(
    scrub(`failed ${url}; then token=abc123secret app-id-1`, url),
    'failed [notificationUrl]; then token=[redacted] [redacted]',
  );
});

test('options are validated with messages naming the option', () => {
  const base = {
    graphUrl: 'http://127.0.0.1:1/v1.0',
    tokens: staticTokenProvider('x'),
    onChange: () => undefined,
  };
  assert.throws(
    () => new ChangeWatcher({ ...base, graphUrl: 'not a url' }),
    /Expected `graphUrl` to be an absolute URL, got "not a url"/,
  );
  assert.throws(
    () => new ChangeWatcher({ ...base, debounceMs: -1 }),
    /Expected `debounceMs` to be a number of milliseconds ≥ 0, got -1/,
  );
});

test('a subscription answer without a usable notificationUrl is a failure that is retried', async (t) => {
  let answers = 0;
  const r = await rig(t, {
    minBackoffMs: 1_000,
    fetch: (input, init) => {
      answers++;
      if (answers === 1) {
        return Promise.resolve(Response.json({ id: 'x', notificationUrl: 'javascript:alert(1)' }));
      }
      return fetch(input, init);
    },
  });
  r.watcher.start();
  await until('the failed attempt', () => r.watcher.stats.failures === 1);
  assert.ok(r.logger.lines.some((l) => l.includes('without a usable notificationUrl')));
  await r.clock.advance(1_000);
  await until('the connection', () => r.watcher.connected);
  assert.equal(answers, 2);
});
