import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryable, itemError } from '../../../src/core/errors.js';
import { classifySyncError, Pacer, parseRetryAfter } from '../../../src/core/net/pacer.js';
import { FakeClock, flush } from '../../helpers/clock.js';

const throttled = (seconds: number) =>
  retryable('429', { code: 'throttled', retryAfterSeconds: seconds });

test('a Retry-After seen by one caller pauses every caller of the same service', async () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  const pauses: number[] = [];
  const pacer = new Pacer({ service: 'graph', clock, onThrottle: (ms) => pauses.push(ms) });
  const attemptsAt: Record<string, number[]> = { a: [], b: [] };
  let throttleOnce = true;

  const a = pacer.call(async () => {
    attemptsAt.a?.push(clock.now() - t0);
    if (throttleOnce) {
      throttleOnce = false;
      throw throttled(5);
    }
    return 'a';
  }, classifySyncError);
  await flush();
  // b starts after a was throttled: it must not reach the server inside the window.
  const b = pacer.call(async () => {
    attemptsAt.b?.push(clock.now() - t0);
    return 'b';
  }, classifySyncError);
  await clock.advance(4_999);
  assert.deepEqual(attemptsAt, { a: [0], b: [] });
  await clock.advance(1);
  assert.deepEqual(await Promise.all([a, b]), ['a', 'b']);
  assert.deepEqual(attemptsAt, { a: [0, 5000], b: [5000] });
  assert.deepEqual(pauses, [5000]);
  assert.equal(pacer.stats.throttles, 1);
});

test('without Retry-After it backs off exponentially with jitter', async () => {
  const clock = new FakeClock();
  const t0 = clock.now();
  const pacer = new Pacer({ service: 's3', clock, baseDelayMs: 100, random: () => 0.5 });
  const at: number[] = [];
  const result = pacer.call(async (attempt) => {
    at.push(clock.now() - t0);
    if (attempt < 4) throw retryable('503', { code: 'unavailable' });
    return attempt;
  }, classifySyncError);
  await clock.advance(1_000);
  assert.equal(await result, 4);
  // delays: 0.5*100, 0.5*200, 0.5*400
  assert.deepEqual(at, [0, 50, 150, 350]);
});

test('attempts are bounded, and the last error is what the caller sees', async () => {
  const clock = new FakeClock();
  const pacer = new Pacer({
    service: 's3',
    clock,
    maxAttempts: 3,
    baseDelayMs: 10,
    random: () => 0,
  });
  let calls = 0;
  const result = pacer.call(async () => {
    calls++;
    throw retryable(`fail ${calls}`, { code: 'unavailable' });
  }, classifySyncError);
  const rejected = assert.rejects(result, /fail 3/);
  await clock.advance(100);
  await rejected;
  assert.equal(calls, 3);
});

test('an error that is not retryable fails at once', async () => {
  const pacer = new Pacer({ service: 's3', clock: new FakeClock() });
  let calls = 0;
  await assert.rejects(
    pacer.call(async () => {
      calls++;
      throw itemError('bad key', { code: 'bad-key' });
    }, classifySyncError),
    /bad key/,
  );
  assert.equal(calls, 1);
});

test('cancelling while paused rejects with the signal reason and makes no request', async () => {
  const clock = new FakeClock();
  const pacer = new Pacer({ service: 'graph', clock });
  pacer.pauseUntil(clock.now() + 60_000);
  const controller = new AbortController();
  let calls = 0;
  const result = pacer.call(async () => ++calls, classifySyncError, controller.signal);
  await flush();
  controller.abort(new Error('shutting down'));
  await assert.rejects(result, /shutting down/);
  assert.equal(calls, 0);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter('Fri, 27 Nov 2026 12:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('options are validated at construction', () => {
  assert.throws(
    () => new Pacer({ service: 's3', maxAttempts: 0 }),
    /Expected `maxAttempts` to be a whole number >= 1, got 0/,
  );
});
