import { DELETE_POLICIES, MAIL_TRANSPORTS, SSE_MODES, STORAGE_CLASSES } from './types.js';

/** What a key may hold. `expected` is the phrase used in error messages. */
export type KeyType =
  | { kind: 'string'; nonEmpty?: boolean }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'duration' }
  | { kind: 'time' }
  | { kind: 'url'; https?: boolean }
  | { kind: 'path' }
  | { kind: 'strings' }
  | { kind: 'legacy' };

export interface KeySpec {
  type: KeyType;
  required?: boolean;
  /** An environment variable that may supply the value instead (secrets). */
  env?: string;
  secret?: boolean;
}

export type SectionSpec = Record<string, KeySpec>;

const str: KeySpec = { type: { kind: 'string' } };
const secret = (env: string): KeySpec => ({
  type: { kind: 'string', nonEmpty: true },
  env,
  secret: true,
});
const path: KeySpec = { type: { kind: 'path' } };

/**
 * Every key the product knows. The original tool's keys load unchanged; new keys are optional
 * and documented in config.example.toml (a test keeps the two in step).
 */
export const SCHEMA: Record<string, SectionSpec> = {
  onedrive: {
    client_id: { type: { kind: 'string', nonEmpty: true }, required: true },
    client_secret: secret('ONEDRIVE_CLIENT_SECRET'),
    redirect_uri: { type: { kind: 'url' } },
    scope: str,
    tokens_path: path,
    delta_link_path: path,
    authority: { type: { kind: 'url', https: true } },
    graph_url: { type: { kind: 'url' } },
    realtime: { type: { kind: 'bool' } },
    drive_id: { type: { kind: 'legacy' } },
  },
  aws: {
    access_key_id: secret('AWS_ACCESS_KEY_ID'),
    secret_access_key: secret('AWS_SECRET_ACCESS_KEY'),
    region: { type: { kind: 'string', nonEmpty: true } },
    bucket: { type: { kind: 'string', nonEmpty: true }, required: true },
    endpoint: { type: { kind: 'url' } },
    force_path_style: { type: { kind: 'bool' } },
    prefix: str,
    storage_class: { type: { kind: 'enum', values: STORAGE_CLASSES } },
    sse: { type: { kind: 'enum', values: SSE_MODES } },
    kms_key_id: str,
    multipart_threshold_mib: { type: { kind: 'int', min: 5, max: 5120 } },
  },
  mail: {
    transport: { type: { kind: 'enum', values: MAIL_TRANSPORTS } },
    api_key: secret('SENDGRID_API_KEY'),
    api_url: { type: { kind: 'url' } },
    smtp_url: { ...secret('SMTP_URL') },
    from: { type: { kind: 'string', nonEmpty: true } },
    to: { type: { kind: 'strings' } },
    reminder_hours: { type: { kind: 'number', min: 0, max: 24 * 365 } },
    round_summary: { type: { kind: 'bool' } },
  },
  web_server: {
    bind_address: { type: { kind: 'string', nonEmpty: true } },
    bind_port: { type: { kind: 'int', min: 0, max: 65535 } },
    tls_private_key: path,
    tls_chain_cert: path,
  },
  general: {
    sync_time: { type: { kind: 'time' } },
    interval: { type: { kind: 'duration' } },
    log_path: path,
    state_path: path,
    concurrency: { type: { kind: 'int', min: 1, max: 64 } },
    delete_policy: { type: { kind: 'enum', values: DELETE_POLICIES } },
    trash_prefix: str,
    max_delete: { type: { kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER } },
    max_delete_share: { type: { kind: 'number', min: 0, max: 1 } },
    verify_interval: { type: { kind: 'duration' } },
  },
  /** Price overrides for the cost estimate: free-form numbers, validated by the estimator. */
  pricing: {},
};

/** Sections whose keys are open-ended. */
export const OPEN_SECTIONS = new Set(['pricing']);

export function expectedPhrase(type: KeyType): string {
  switch (type.kind) {
    case 'string':
      return type.nonEmpty ? 'a non-empty string' : 'a string';
    case 'int':
      return `a whole number from ${type.min} to ${type.max}`;
    case 'number':
      return `a number from ${type.min} to ${type.max}`;
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${type.values.map((v) => `"${v}"`).join(', ')}`;
    case 'duration':
      return 'a duration like "15m", "1h30m", "90s" or "off"';
    case 'time':
      return 'a time of day "HH:MM:SS" (24-hour, local time)';
    case 'url':
      return type.https ? 'an https:// URL' : 'an http:// or https:// URL';
    case 'path':
      return 'a file path (string)';
    case 'strings':
      return 'a string or a list of strings';
    case 'legacy':
      return 'anything (ignored)';
  }
}
