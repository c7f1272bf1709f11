import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Scheduler,
  type SchedulerOptions,
  type TriggerReason,
} from '../../../src/core/schedule/scheduler.js';
import { memoryLogger } from '../../../src/core/log/logger.js';
import { FakeClock, flush } from '../../helpers/clock.js';

const originalTz = process.env.TZ;
process.env.TZ = 'Europe/Stockholm';
after(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

const MIN = 60_000;
const HOUR = 60 * MIN;

interface Call {
  reason: TriggerReason;
  at: string;
  signal: AbortSignal;
}

/** A runRound that records calls; `hold()` makes the next rounds wait until released. */
function rounds(clock: FakeClock) {
  const calls: Call[] = [];
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  return {
    calls,
    reasons: () => calls.map((c) => c.reason),
    times: () => calls.map((c) => c.at),
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      open?.();
      gate = undefined;
    },
    run: async (reason: TriggerReason, signal: AbortSignal) => {
      calls.push({ reason, at: new Date(clock.now()).toISOString(), signal });
      if (gate) await gate;
    },
  };
}

const nextRunIso = (s: Scheduler): string | undefined => s.nextRunAt?.toISOString();

const running: Scheduler[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function scheduler(
  clock: FakeClock,
  options: Partial<SchedulerOptions> & Pick<SchedulerOptions, 'runRound'>,
): Scheduler {
  const s = new Scheduler({ intervalMs: 0, clock, ...options });
  running.push(s);
  return s;
}

describe('Scheduler', () => {
  test('runs the first round as soon as it starts, not at the next sync_time', async () => {
    const clock = new FakeClock(new Date('2026-01-10T12:00:00Z'));
    const r = rounds(clock);
    scheduler(clock, { runRound: r.run, syncTime: '01:00:00' }).start();
    await flush();
    assert.deepEqual(r.reasons(), ['start']);
  });

  test('runs again one interval after the last round started, even if that round was long', async () => {
    const clock = new FakeClock(new Date('2026-01-10T12:00:00Z'));
    const r = rounds(clock);
    r.hold();
    scheduler(clock, { runRound: r.run, intervalMs: HOUR }).start();
    await clock.advance(10 * MIN); // the first round takes ten minutes
    r.release();
    await clock.advance(49 * MIN);
    assert.equal(r.calls.length, 1);
    await clock.advance(1 * MIN);
    assert.deepEqual(r.reasons(), ['start', 'interval']);
    assert.deepEqual(r.times(), ['2026-01-10T12:00:00.000Z', '2026-01-10T13:00:00.000Z']);
  });

  test('a round longer than the interval is followed by one round, not a burst', async () => {
    const clock = new FakeClock(new Date('2026-01-10T12:00:00Z'));
    const r = rounds(clock);
    r.hold();
    scheduler(clock, { runRound: r.run, intervalMs: HOUR }).start();
    await clock.advance(5 * HOUR);
    r.release();
    await flush();
    assert.deepEqual(r.times(), ['2026-01-10T12:00:00.000Z', '2026-01-10T17:00:00.000Z']);
    await clock.advance(HOUR - 1);
    assert.equal(r.calls.length, 2);
  });

  test('runs daily at sync_time in local time', async () => {
    const clock = new FakeClock(new Date('2026-01-10T12:00:00Z')); // 13:00 in Stockholm
    const r = rounds(clock);
    scheduler(clock, { runRound: r.run, syncTime: '01:00:00' }).start();
    await clock.advance(3 * 24 * HOUR);
    assert.deepEqual(r.times(), [
      '2026-01-10T12:00:00.000Z',
      '2026-01-11T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
      '2026-01-13T00:00:00.000Z',
    ]);
    assert.deepEqual(r.reasons(), ['start', 'sync-time', 'sync-time', 'sync-time']);
  });

  test('takes whichever of interval and sync_time comes first', async () => {
    const clock = new FakeClock(new Date('2026-01-10T23:30:00Z')); // 00:30 local
    const r = rounds(clock);
    scheduler(clock, { runRound: r.run, syncTime: '01:00:00', intervalMs: 2 * HOUR }).start();
    await clock.advance(3 * HOUR);
    assert.deepEqual(r.reasons(), ['start', 'sync-time', 'interval']);
    assert.deepEqual(r.times().slice(1), ['2026-01-11T00:00:00.000Z', '2026-01-11T02:00:00.000Z']);
  });

  for (const [zone, hms, startIso, expected] of [
    // Stockholm spring: 02:30 does not exist on 2026-03-29 → runs at 03:00 CEST.
    [
      'Europe/Stockholm',
      '02:30:00',
      '2026-03-28T12:00:00Z',
      ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'],
    ],
    // Stockholm autumn: 02:30 happens twice on 2026-10-25 → runs once.
    [
      'Europe/Stockholm',
      '02:30:00',
      '2026-10-24T12:00:00Z',
      ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    ],
    // Stockholm: 01:00 stays 01:00 local on both sides of the spring change.
    [
      'Europe/Stockholm',
      '01:00:00',
      '2026-03-28T12:00:00Z',
      ['2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z'],
    ],
    // New York spring: 02:30 does not exist on 2026-03-08 → runs at 03:00 EDT.
    [
      'America/New_York',
      '02:30:00',
      '2026-03-07T17:00:00Z',
      ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'],
    ],
    // New York autumn: 01:30 happens twice on 2026-11-01 → runs once.
    [
      'America/New_York',
      '01:30:00',
      '2026-10-31T17:00:00Z',
      ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
    ],
  ] as const) {
    test(`in ${zone}, a daily ${hms} around ${startIso.slice(0, 10)}'s DST change runs once a day at the right moment`, async () => {
      process.env.TZ = zone;
      try {
        const clock = new FakeClock(new Date(startIso));
        const r = rounds(clock);
        scheduler(clock, { runRound: r.run, syncTime: hms }).start();
        await clock.advance(48 * HOUR);
        assert.deepEqual(r.times().slice(1), expected);
      } finally {
        process.env.TZ = 'Europe/Stockholm';
      }
    });
  }

  test('triggers while idle start exactly one round', async () => {
    const clock = new FakeClock();
    const r = rounds(clock);
    const s = scheduler(clock, { runRound: r.run });
    s.start();
    await flush();
    s.trigger('manual');
    s.trigger('realtime');
    s.trigger('manual');
    await flush();
    assert.deepEqual(r.reasons(), ['start', 'manual']);
  });

  test('three triggers during a round become exactly one follow-up round, named by the first', async () => {
    const clock = new FakeClock();
    const r = rounds(clock);
    r.hold();
    const s = scheduler(clock, { runRound: r.run });
    s.start();
    await flush();
    s.trigger('realtime');
    s.trigger('realtime');
    s.trigger('manual');
    await clock.advance(MIN);
    assert.equal(r.calls.length, 1, 'no second round while the first runs');
    r.release();
    await flush();
    assert.deepEqual(r.reasons(), ['start', 'realtime']);
    await clock.advance(24 * HOUR);
    assert.equal(r.calls.length, 2);
  });

  test('pause holds rounds back and resume runs the missed work once', async () => {
    const clock = new FakeClock(new Date('2026-01-10T12:00:00Z'));
    const nextRuns: Array<string | null> = [];
    const r = rounds(clock);
    const s = scheduler(clock, {
      runRound: r.run,
      intervalMs: HOUR,
      onNextRun: (at) => nextRuns.push(at?.toISOString() ?? null),
    });
    s.start();
    await flush();
    s.pause();
    s.trigger('manual');
    await clock.advance(5 * HOUR);
    assert.equal(r.calls.length, 1);
    assert.equal(s.nextRunAt, null, 'nothing is scheduled while paused');
    assert.deepEqual(nextRuns, ['2026-01-10T13:00:00.000Z', null]);
    s.resume();
    await flush();
    assert.deepEqual(r.reasons(), ['start', 'manual']);
    await clock.advance(HOUR - 1);
    assert.equal(r.calls.length, 2, 'the interval counts from the catch-up round');
    assert.equal(nextRunIso(s), '2026-01-10T18:00:00.000Z');
  });

  test('pause with abortRound cancels the running round and resume runs it again', async () => {
    const clock = new FakeClock();
    const r = rounds(clock);
    r.hold();
    const s = scheduler(clock, { runRound: r.run });
    s.start();
    await flush();
    s.pause({ abortRound: true });
    assert.equal(r.calls[0]?.signal.aborted, true);
    r.release();
    await flush();
    assert.equal(r.calls.length, 1);
    s.resume();
    await flush();
    assert.deepEqual(r.reasons(), ['start', 'resume']);
  });

  test('stop aborts the running round, waits for it to finish, and nothing runs afterwards', async () => {
    const clock = new FakeClock();
    let checkpointed = false;
    let finishCheckpoint: (() => void) | undefined;
    const calls: TriggerReason[] = [];
    const s = scheduler(clock, {
      intervalMs: MIN,
      runRound: async (reason, signal) => {
        calls.push(reason);
        if (calls.length > 1) return;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        await new Promise<void>((resolve) => (finishCheckpoint = resolve));
        checkpointed = true;
        throw signal.reason;
      },
    });
    s.start();
    await flush();
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await flush();
    assert.equal(stopped, false, 'stop waits while the round checkpoints');
    finishCheckpoint?.();
    await stopping;
    assert.equal(checkpointed, true);
    s.trigger('manual');
    await clock.advance(HOUR);
    assert.deepEqual(calls, ['start']);
  });

  test('a failing round is logged and the schedule goes on', async () => {
    const clock = new FakeClock();
    const logger = memoryLogger();
    const calls: TriggerReason[] = [];
    scheduler(clock, {
      intervalMs: HOUR,
      logger,
      runRound: async (reason) => {
        calls.push(reason);
        if (calls.length === 1) throw new Error('bucket missing');
      },
    }).start();
    await clock.advance(HOUR);
    assert.deepEqual(calls, ['start', 'interval']);
    assert.ok(logger.lines.some((l) => l.startsWith('error') && l.includes('bucket missing')));
  });

  test('verification runs on its own interval and never overlaps a round', async () => {
    const clock = new FakeClock();
    const r = rounds(clock);
    const verifies: string[] = [];
    r.hold();
    scheduler(clock, {
      runRound: r.run,
      verifyIntervalMs: 24 * HOUR,
      runVerify: async () => {
        verifies.push(new Date(clock.now()).toISOString());
      },
    }).start();
    await clock.advance(25 * HOUR); // the first round is still running at the verify time
    assert.deepEqual(verifies, []);
    r.release();
    await flush();
    assert.equal(verifies.length, 1);
    await clock.advance(24 * HOUR);
    assert.equal(verifies.length, 2);
  });

  test('rejects options with a message naming the option and the value', () => {
    const clock = new FakeClock();
    const runRound = async () => {};
    assert.throws(() => new Scheduler({ intervalMs: -1, clock, runRound }), /intervalMs.*-1/);
    assert.throws(
      () => new Scheduler({ intervalMs: 0, clock, runRound, syncTime: '25:00' }),
      /sync_time.*25:00/,
    );
    assert.throws(
      () => new Scheduler({ intervalMs: 0, clock, runRound, verifyIntervalMs: HOUR }),
      /runVerify/,
    );
  });
});
