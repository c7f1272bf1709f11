import { parseDuration, parseTimeOfDay } from './duration.js';
import type { KeyType } from './schema.js';

/** A checked value, or `undefined` when it does not fit its type (the caller names the key). */
export type Checked = { value: unknown } | undefined;

/**
 * One TOML value against its declared type, converted to what the Config holds (durations in
 * ms, URLs without a trailing slash, a lone string as a one-element list). Paths come back as
 * written; the caller resolves them against the config file's folder.
 */
export function checkValue(type: KeyType, value: unknown): Checked {
  switch (type.kind) {
    case 'legacy':
      return { value: undefined };
    case 'string':
    case 'path':
      if (typeof value !== 'string') return undefined;
      return type.kind === 'string' && type.nonEmpty && value.trim() === '' ? undefined : { value };
    case 'int':
    case 'number': {
      const n = typeof value === 'bigint' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < type.min || n > type.max)
        return undefined;
      return type.kind === 'int' && !Number.isInteger(n) ? undefined : { value: n };
    }
    case 'bool':
      return typeof value === 'boolean' ? { value } : undefined;
    case 'enum':
      return typeof value === 'string' && type.values.includes(value) ? { value } : undefined;
    case 'duration': {
      const ms =
        typeof value === 'number'
          ? value * 1000
          : typeof value === 'string'
            ? parseDuration(value)
            : undefined;
      return ms === undefined || ms < 0 ? undefined : { value: ms };
    }
    case 'time':
      return typeof value === 'string' && parseTimeOfDay(value) ? { value } : undefined;
    case 'url':
      return typeof value === 'string' && urlFits(value, type.https === true)
        ? { value: value.replace(/\/+$/, '') }
        : undefined;
    case 'strings':
      if (typeof value === 'string') return { value: [value] };
      return Array.isArray(value) &&
        value.length > 0 &&
        value.every((v) => typeof v === 'string' && v.trim() !== '')
        ? { value }
        : undefined;
  }
}

function urlFits(text: string, httpsOnly: boolean): boolean {
  let protocol: string;
  try {
    protocol = new URL(text).protocol;
  } catch {
    return false;
  }
  return protocol === 'https:' || (!httpsOnly && protocol === 'http:');
}

/** How a found value is named in a message ("eighty" (a string), a list, 12 (a number)). */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value}" (a string)`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return 'a table';
  if (value instanceof Date) return 'a date';
  return `${String(value)} (a ${typeof value === 'bigint' ? 'number' : typeof value})`;
}
