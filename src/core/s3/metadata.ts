import type { ObjectMeta } from './types.js';

/**
 * User-metadata keys on every object. `mtime` is rclone's key and format, so `rclone copy`
 * restores correct times; the original tool wrote the same key as integer seconds.
 */
export const META_MTIME = 'mtime';
export const META_ITEM_ID = 'onedrive-id';
export const META_QUICKXOR = 'quickxorhash';

/**
 * ISO 8601 ("2024-05-01T10:20:30.1234567Z") → rclone's mtime: Unix seconds, up to 9 fractional
 * digits, trailing zeros trimmed, no "." for whole seconds. Digits are carried as text so no
 * float rounding creeps in.
 */
export function formatMtime(iso: string): string {
  const match = /^(.*T\d{2}:\d{2}:\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(iso.trim());
  const whole = Date.parse(match ? `${match[1]}${match[3] ?? 'Z'}` : iso);
  if (Number.isNaN(whole)) throw new RangeError(`not a date-time: ${JSON.stringify(iso)}`);
  const seconds = Math.floor(whole / 1000);
  const fraction = (match?.[2] ?? '').slice(0, 9).replace(/0+$/, '');
  return fraction ? `${seconds}.${fraction}` : String(seconds);
}

/** rclone's format or the original tool's integer seconds → {seconds, nanos}; undefined if neither. */
export function parseMtime(
  value: string | undefined,
): { seconds: number; nanos: number } | undefined {
  const match = /^\s*(-?\d+)(?:\.(\d{1,9}))?\s*$/.exec(value ?? '');
  if (!match) return undefined;
  return { seconds: Number(match[1]), nanos: Number((match[2] ?? '').padEnd(9, '0')) };
}

/** Milliseconds since the epoch, for setting file times on restore. */
export function mtimeToDate(value: string | undefined): Date | undefined {
  const parsed = parseMtime(value);
  return parsed ? new Date(parsed.seconds * 1000 + Math.floor(parsed.nanos / 1e6)) : undefined;
}

/** Equal to the second: how an object written by the original tool is recognised for adoption. */
export function sameSecond(a: string | undefined, b: string | undefined): boolean {
  const x = parseMtime(a);
  const y = parseMtime(b);
  return x !== undefined && y !== undefined && x.seconds === y.seconds;
}

export function toS3Metadata(meta: ObjectMeta): Record<string, string> {
  return {
    [META_MTIME]: meta.mtime,
    [META_ITEM_ID]: meta.itemId,
    ...(meta.quickXorHash ? { [META_QUICKXOR]: meta.quickXorHash } : {}),
  };
}

export function fromS3Metadata(metadata: Record<string, string> | undefined): Partial<ObjectMeta> {
  const m = Object.fromEntries(
    Object.entries(metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    ...(m[META_MTIME] ? { mtime: m[META_MTIME] } : {}),
    ...(m[META_ITEM_ID] ? { itemId: m[META_ITEM_ID] } : {}),
    ...(m[META_QUICKXOR] ? { quickXorHash: m[META_QUICKXOR] } : {}),
  };
}
