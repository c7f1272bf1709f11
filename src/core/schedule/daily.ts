import { parseTimeOfDay as parseHms } from '../config/duration.js';
import { ConfigError } from '../errors.js';

/** A wall-clock time of day, as `[general] sync_time` gives it. */
export interface TimeOfDay {
  hours: number;
  minutes: number;
  seconds: number;
}

/** Parses "HH:MM:SS" (or "HH:MM"), local time; a ConfigError names sync_time otherwise. */
export function parseSyncTime(hms: string): TimeOfDay {
  const t = parseHms(hms);
  if (!t) {
    throw new ConfigError(`Expected sync_time to be "HH:MM:SS" (00:00:00–23:59:59), got "${hms}"`, {
      hint: 'Write the daily start time in 24-hour local time, e.g. sync_time = "01:00:00".',
    });
  }
  return { hours: t.h, minutes: t.m, seconds: t.s };
}

/**
 * The first moment strictly after `from` at which the local wall clock reads `hms`.
 * Calendar-based, so DST changes keep the wall time: a daily 01:00 stays 01:00 local on both
 * sides. A time the spring change skips (02:30 on the night clocks jump 02:00 → 03:00) fires at
 * the first valid moment after it (03:00); a time the autumn change repeats fires once, at its
 * first occurrence.
 */
export function nextDailyOccurrence(from: Date, hms: string | TimeOfDay): Date {
  const t = typeof hms === 'string' ? parseSyncTime(hms) : hms;
  const base = new Date(from.getTime());
  for (let dayOffset = 0; dayOffset < 3; dayOffset++) {
    const at = occurrenceOn(base.getFullYear(), base.getMonth(), base.getDate() + dayOffset, t);
    if (at.getTime() > from.getTime()) return at;
  }
  // Unreachable: a day always has an occurrence within the next two calendar days.
  throw new Error(`no occurrence of ${JSON.stringify(t)} after ${from.toISOString()}`);
}

/** The instant the local clock reads `t` on the given (possibly overflowing) calendar day. */
function occurrenceOn(year: number, month: number, day: number, t: TimeOfDay): Date {
  const candidate = new Date(year, month, day, t.hours, t.minutes, t.seconds, 0);
  // Normalise the day overflow (day 32 → next month) to compare wall fields below.
  const noon = new Date(year, month, day, 12, 0, 0, 0);
  const want = wallClock(noon.getFullYear(), noon.getMonth(), noon.getDate(), t);
  if (wallOf(candidate) === want) return earliestWithSameWall(candidate);
  // The wall time does not exist that day (spring gap): fire when the clock jumps past it.
  return transitionNear(candidate);
}

/** In the autumn's repeated hour, both instants read the same; the earlier one wins. */
function earliestWithSameWall(candidate: Date): Date {
  const shift = Math.abs(
    offsetAt(candidate.getTime() - SIX_HOURS) - offsetAt(candidate.getTime() + SIX_HOURS),
  );
  if (shift === 0) return candidate;
  const earlier = new Date(candidate.getTime() - shift);
  return wallOf(earlier) === wallOf(candidate) ? earlier : candidate;
}

/** The first instant after the UTC-offset change nearest `candidate` (binary search, 1 ms). */
function transitionNear(candidate: Date): Date {
  let lo = candidate.getTime() - SIX_HOURS;
  let hi = candidate.getTime() + SIX_HOURS;
  const before = offsetAt(lo);
  if (before === offsetAt(hi)) return candidate;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

const SIX_HOURS = 6 * 3600_000;

/** Milliseconds east of UTC at an instant, in the process's current time zone. */
const offsetAt = (ms: number): number => -new Date(ms).getTimezoneOffset() * 60_000;

const wallClock = (y: number, mo: number, d: number, t: TimeOfDay): number =>
  Date.UTC(y, mo, d, t.hours, t.minutes, t.seconds);

const wallOf = (date: Date): number =>
  Date.UTC(
    date.getFullYear(),
    date.getMonth(),
    date.getDate(),
    date.getHours(),
    date.getMinutes(),
    date.getSeconds(),
  );
