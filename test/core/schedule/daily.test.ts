import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextDailyOccurrence, parseSyncTime } from '../../../src/core/schedule/daily.js';
import { ConfigError } from '../../../src/core/errors.js';

const originalTz = process.env.TZ;
after(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

/** Runs with the process in a given zone; Node re-reads TZ when it changes. */
function inZone(zone: string, fn: () => void): void {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

const next = (fromIso: string, hms: string): string =>
  nextDailyOccurrence(new Date(fromIso), hms).toISOString();

describe('nextDailyOccurrence', () => {
  test('gives today’s time when it is still ahead, tomorrow’s when it has passed', () => {
    inZone('UTC', () => {
      assert.equal(next('2026-01-10T00:30:00Z', '01:00:00'), '2026-01-10T01:00:00.000Z');
      assert.equal(next('2026-01-10T01:00:01Z', '01:00:00'), '2026-01-11T01:00:00.000Z');
    });
  });

  test('is strictly after `from`, so firing at the time schedules the next day', () => {
    inZone('UTC', () => {
      assert.equal(next('2026-01-10T01:00:00Z', '01:00:00'), '2026-01-11T01:00:00.000Z');
    });
  });

  test('rolls over month and year ends', () => {
    inZone('UTC', () => {
      assert.equal(next('2026-12-31T23:00:00Z', '22:15:30'), '2027-01-01T22:15:30.000Z');
    });
  });

  test('reads the time in local time, not UTC', () => {
    inZone('Europe/Stockholm', () => {
      // 01:00 in Stockholm in winter (UTC+1) is 00:00 UTC.
      assert.equal(next('2026-01-10T12:00:00Z', '01:00:00'), '2026-01-11T00:00:00.000Z');
    });
  });

  describe('in Europe/Stockholm', () => {
    test('a daily 01:00 stays 01:00 local across the spring change', () => {
      inZone('Europe/Stockholm', () => {
        assert.equal(next('2026-03-28T12:00:00Z', '01:00:00'), '2026-03-29T00:00:00.000Z'); // CET
        assert.equal(next('2026-03-29T00:00:00Z', '01:00:00'), '2026-03-29T23:00:00.000Z'); // CEST
      });
    });

    test('a time the spring change skips fires when the clock jumps to 03:00', () => {
      inZone('Europe/Stockholm', () => {
        // 2026-03-29 02:00 CET → 03:00 CEST: 02:30 does not exist; 03:00 CEST is 01:00 UTC.
        assert.equal(next('2026-03-28T12:00:00Z', '02:30:00'), '2026-03-29T01:00:00.000Z');
        assert.equal(next('2026-03-29T01:00:00Z', '02:30:00'), '2026-03-30T00:30:00.000Z');
      });
    });

    test('a daily 01:00 stays 01:00 local across the autumn change', () => {
      inZone('Europe/Stockholm', () => {
        assert.equal(next('2026-10-24T12:00:00Z', '01:00:00'), '2026-10-24T23:00:00.000Z'); // CEST
        assert.equal(next('2026-10-24T23:00:00Z', '01:00:00'), '2026-10-26T00:00:00.000Z'); // CET
      });
    });

    test('a time the autumn change repeats fires once, at its first occurrence', () => {
      inZone('Europe/Stockholm', () => {
        // 2026-10-25 03:00 CEST → 02:00 CET: 02:30 happens at 00:30 UTC and again at 01:30 UTC.
        assert.equal(next('2026-10-24T12:00:00Z', '02:30:00'), '2026-10-25T00:30:00.000Z');
        assert.equal(next('2026-10-25T00:30:00Z', '02:30:00'), '2026-10-26T01:30:00.000Z');
        // Inside the repeated hour, after the first 02:30: the second one is not another run.
        assert.equal(next('2026-10-25T01:00:00Z', '02:30:00'), '2026-10-26T01:30:00.000Z');
      });
    });
  });

  describe('in America/New_York', () => {
    test('a time the spring change skips fires at 03:00 EDT', () => {
      inZone('America/New_York', () => {
        // 2026-03-08 02:00 EST → 03:00 EDT; 03:00 EDT is 07:00 UTC.
        assert.equal(next('2026-03-07T17:00:00Z', '02:30:00'), '2026-03-08T07:00:00.000Z');
        assert.equal(next('2026-03-08T07:00:00Z', '02:30:00'), '2026-03-09T06:30:00.000Z');
      });
    });

    test('a daily 01:00 stays 01:00 local across the spring change', () => {
      inZone('America/New_York', () => {
        assert.equal(next('2026-03-07T17:00:00Z', '01:00:00'), '2026-03-08T06:00:00.000Z'); // EST
        assert.equal(next('2026-03-08T06:00:00Z', '01:00:00'), '2026-03-09T05:00:00.000Z'); // EDT
      });
    });

    test('a time the autumn change repeats fires once, at its first occurrence', () => {
      inZone('America/New_York', () => {
        // 2026-11-01 02:00 EDT → 01:00 EST: 01:30 happens at 05:30 UTC and again at 06:30 UTC.
        assert.equal(next('2026-10-31T17:00:00Z', '01:30:00'), '2026-11-01T05:30:00.000Z');
        assert.equal(next('2026-11-01T05:30:00Z', '01:30:00'), '2026-11-02T06:30:00.000Z');
      });
    });
  });
});

describe('parseSyncTime', () => {
  test('accepts HH:MM:SS and HH:MM', () => {
    assert.deepEqual(parseSyncTime('01:02:03'), { hours: 1, minutes: 2, seconds: 3 });
    assert.deepEqual(parseSyncTime('23:59'), { hours: 23, minutes: 59, seconds: 0 });
  });

  test('rejects impossible times with a message naming sync_time and the value', () => {
    for (const bad of ['24:00:00', '12:60:00', '1pm', '']) {
      assert.throws(
        () => parseSyncTime(bad),
        (e: unknown) =>
          e instanceof ConfigError && e.message.includes('sync_time') && e.message.includes(bad),
      );
    }
  });
});
