/** Number and time wording shared by the tray (main) and the window, so both say the same. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Decimal units, like file managers: 1.2 MB = 1,200,000 bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export const formatRate = (bytesPerSecond: number): string =>
  bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '—';

export function formatCount(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${formatCount(n)} ${n === 1 ? one : many}`;

/** "2 h 05 min", "4 min 10 s", "12 s"; null while unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/**
 * Shortens a long path in the middle so both the top folder and the file name stay visible:
 * "Documents/…/2024/report-final.pdf".
 */
export function middleEllipsis(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 5) return text.slice(0, max);
  const keepEnd = Math.ceil((max - 1) * 0.6);
  const keepStart = max - 1 - keepEnd;
  return `${text.slice(0, keepStart)}…${text.slice(text.length - keepEnd)}`;
}

export interface TimeFormat {
  /** A wall-clock time like "10:42"; today's date is left out, other days get "12 Mar". */
  time(iso: string): string;
}

/** The formatter the app uses: the machine's locale and time zone unless told otherwise. */
export function timeFormat(now: () => number, locale?: string, timeZone?: string): TimeFormat {
  const options = timeZone ? { timeZone } : {};
  const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...options });
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...options });
  const dayKey = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...options,
  });
  return {
    time(iso) {
      const t = Date.parse(iso);
      if (Number.isNaN(t)) return '—';
      const sameDay = dayKey.format(t) === dayKey.format(now());
      return sameDay ? clock.format(t) : `${day.format(t)} ${clock.format(t)}`;
    },
  };
}
