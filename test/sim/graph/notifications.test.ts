import assert from 'node:assert/strict';
import { test } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import { startGraphSim, SIM_TOKEN, type GraphSim } from './index.js';

interface Subscription {
  id: string;
  notificationUrl: string;
  expirationDateTime: string;
}

async function subscribe(sim: GraphSim): Promise<Subscription> {
  const res = await fetch(`${sim.url}/me/drive/root/subscriptions/socketIo`, {
    headers: { authorization: `Bearer ${SIM_TOKEN}` },
  });
  assert.equal(res.status, 200);
  return (await res.json()) as Subscription;
}

/** Connects as Microsoft's sample does; resolves with the socket or the refusal. */
function open(url: string): Promise<{ socket: Socket } | { error: Error }> {
  return new Promise((resolve) => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error: Error) => {
      socket.close();
      resolve({ error });
    });
  });
}

test('the subscription hands out a socket.io URL on another origin whose connection receives notifications', async (t) => {
  let now = Date.UTC(2026, 0, 5, 12);
  const sim = await startGraphSim({ now: () => now, notificationUrlTtlMs: 60_000 });
  t.after(() => sim.close());
  const sub = await subscribe(sim);
  const url = new URL(sub.notificationUrl);
  assert.notEqual(url.origin, sim.origin);
  assert.equal(url.pathname, '/notifications');
  assert.ok((url.searchParams.get('token') ?? '').length > 10);
  assert.equal(Date.parse(sub.expirationDateTime), now + 60_000);
  assert.equal(sim.counters.count('subscription'), 1);

  const opened = await open(sub.notificationUrl);
  assert.ok('socket' in opened);
  const got = new Promise<unknown>((resolve) => opened.socket.once('notification', resolve));
  assert.equal(sim.notifications.notify(), 1);
  const payload = JSON.parse((await got) as string) as { changeType: string };
  assert.equal(payload.changeType, 'updated');
  opened.socket.close();
  await sim.notifications.waitForNoConnections();

  now += 60_000;
  const late = await open(sub.notificationUrl);
  assert.ok('error' in late, 'an expired URL is refused');
  assert.equal(sim.notifications.refused, 1);
});

test('drop() cuts connections like a network failure and expire() refuses every URL issued so far', async (t) => {
  const sim = await startGraphSim();
  t.after(() => sim.close());
  const first = await subscribe(sim);
  const opened = await open(first.notificationUrl);
  assert.ok('socket' in opened);
  const reason = new Promise<string>((resolve) => opened.socket.once('disconnect', resolve));
  sim.notifications.drop();
  assert.equal(await reason, 'transport close');

  const again = await open(first.notificationUrl);
  assert.ok('socket' in again, 'a drop leaves the URL valid');
  const kicked = new Promise<string>((resolve) => again.socket.once('disconnect', resolve));
  sim.notifications.expire();
  assert.equal(await kicked, 'io server disconnect');
  assert.ok('error' in (await open(first.notificationUrl)));
  const fresh = await subscribe(sim);
  const reopened = await open(fresh.notificationUrl);
  assert.ok('socket' in reopened);
  reopened.socket.close();
});

test('the subscription route needs a valid token and takes scripted faults', async (t) => {
  const sim = await startGraphSim();
  t.after(() => sim.close());
  const url = `${sim.url}/me/drive/root/subscriptions/socketIo`;
  assert.equal((await fetch(url)).status, 401);
  sim.faults.throttle({ route: 'subscription', retryAfter: 7 });
  const throttled = await fetch(url, { headers: { authorization: `Bearer ${SIM_TOKEN}` } });
  assert.equal(throttled.status, 429);
  assert.equal(throttled.headers.get('retry-after'), '7');
  assert.equal(sim.notifications.issuedCount, 0);
});
