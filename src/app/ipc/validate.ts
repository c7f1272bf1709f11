/**
 * Runtime checks for every request the window may send, one per channel of the contract. The
 * mapped type makes a new channel without a check a compile error. Checks are strict: exact
 * keys, exact types, bounded strings — the window is treated as untrusted input.
 */
import {
  SECRET_FIELDS,
  TEXT_FIELDS,
  type InvokeChannel,
  type InvokeRequest,
  type SettingsForm,
} from '../../shared/ipc.js';

/** Returns a reason the payload is invalid, or undefined when it is fine. */
export type RequestCheck = (payload: unknown) => string | undefined;

/** Generous bound for any text field (paths, URLs, lists of addresses). */
export const MAX_FIELD_LENGTH = 4096;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.getPrototypeOf(v) === Object.prototype;

function exactKeys(v: unknown, keys: readonly string[]): string | undefined {
  if (!isRecord(v)) return `expected an object, got ${describe(v)}`;
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  if (extra.length) return `unexpected key ${extra[0]}`;
  const missing = keys.filter((k) => !(k in v));
  if (missing.length) return `missing key ${missing[0]}`;
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

const nothing: RequestCheck = (p) =>
  p === null || p === undefined ? undefined : `expected no payload, got ${describe(p)}`;

const booleanField =
  (key: string): RequestCheck =>
  (p) =>
    exactKeys(p, [key]) ??
    (typeof (p as Record<string, unknown>)[key] === 'boolean'
      ? undefined
      : `${key}: expected true or false`);

/** Tabs and newlines are allowed (lists of addresses); other control characters are not. */
const isControl = (ch: string): boolean => {
  const c = ch.charCodeAt(0);
  return (c < 0x20 && ch !== '\t' && ch !== '\n') || c === 0x7f;
};

const FORM_KEYS = [...TEXT_FIELDS, ...SECRET_FIELDS, 'flow', 'mailEnabled'] as const;

export const checkSettingsForm: RequestCheck = (p) => {
  const shape = exactKeys(p, FORM_KEYS);
  if (shape) return shape;
  const form = p as Record<string, unknown>;
  if (form.flow !== 'desktop' && form.flow !== 'web') return 'flow: expected "desktop" or "web"';
  if (typeof form.mailEnabled !== 'boolean') return 'mailEnabled: expected true or false';
  for (const key of [...TEXT_FIELDS, ...SECRET_FIELDS]) {
    const value = form[key];
    if (typeof value !== 'string') return `${key}: expected a string, got ${describe(value)}`;
    if (value.length > MAX_FIELD_LENGTH)
      return `${key}: longer than ${MAX_FIELD_LENGTH} characters`;
    // Control characters have no business in a config value and could break the TOML line.
    if ([...value].some(isControl)) return `${key}: contains control characters`;
  }
  return undefined;
};

export const REQUEST_CHECKS: { readonly [C in InvokeChannel]: RequestCheck } = {
  'snapshot:get': nothing,
  'sync:start': booleanField('full'),
  'sync:pause': booleanField('paused'),
  'mass-delete:resolve': booleanField('allow'),
  'auth:start': nothing,
  'logs:open': nothing,
  'settings:get': nothing,
  'settings:check': checkSettingsForm,
  'settings:save': checkSettingsForm,
};

/** Narrows a checked payload to the channel's request type (call only after the check passed). */
export function asRequest<C extends InvokeChannel>(
  _channel: C,
  payload: unknown,
): InvokeRequest<C> {
  return (payload ?? null) as InvokeRequest<C>;
}

export type { SettingsForm };
