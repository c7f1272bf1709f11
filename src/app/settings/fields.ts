/**
 * Which config.toml key each Settings field edits. Secret fields never go into config.toml:
 * they are stored encrypted and handed to the validator and the engine through the env
 * variable the config schema already knows for them (ONEDRIVE_CLIENT_SECRET, …).
 */
import { SCHEMA } from '../../core/config/schema.js';
import type { SecretField, SettingsForm, TextField } from '../../shared/ipc.js';

export interface FieldSpec {
  field: TextField | SecretField;
  section: string;
  key: string;
  /** How the form's text becomes a TOML value. */
  kind: 'string' | 'int' | 'strings';
  /** Only meaningful for the Web flow (removed from the file for the desktop flow). */
  webOnly?: boolean;
  mail?: boolean;
}

export const FIELD_SPECS: readonly FieldSpec[] = [
  { field: 'clientId', section: 'onedrive', key: 'client_id', kind: 'string' },
  {
    field: 'clientSecret',
    section: 'onedrive',
    key: 'client_secret',
    kind: 'string',
    webOnly: true,
  },
  { field: 'redirectUri', section: 'onedrive', key: 'redirect_uri', kind: 'string', webOnly: true },
  { field: 'bindPort', section: 'web_server', key: 'bind_port', kind: 'int', webOnly: true },
  {
    field: 'tlsPrivateKey',
    section: 'web_server',
    key: 'tls_private_key',
    kind: 'string',
    webOnly: true,
  },
  {
    field: 'tlsChainCert',
    section: 'web_server',
    key: 'tls_chain_cert',
    kind: 'string',
    webOnly: true,
  },
  { field: 'bucket', section: 'aws', key: 'bucket', kind: 'string' },
  { field: 'region', section: 'aws', key: 'region', kind: 'string' },
  { field: 'endpoint', section: 'aws', key: 'endpoint', kind: 'string' },
  { field: 'accessKeyId', section: 'aws', key: 'access_key_id', kind: 'string' },
  { field: 'secretAccessKey', section: 'aws', key: 'secret_access_key', kind: 'string' },
  { field: 'prefix', section: 'aws', key: 'prefix', kind: 'string' },
  { field: 'storageClass', section: 'aws', key: 'storage_class', kind: 'string' },
  { field: 'interval', section: 'general', key: 'interval', kind: 'string' },
  { field: 'syncTime', section: 'general', key: 'sync_time', kind: 'string' },
  { field: 'deletePolicy', section: 'general', key: 'delete_policy', kind: 'string' },
  { field: 'maxDelete', section: 'general', key: 'max_delete', kind: 'int' },
  { field: 'mailTransport', section: 'mail', key: 'transport', kind: 'string', mail: true },
  { field: 'mailApiKey', section: 'mail', key: 'api_key', kind: 'string', mail: true },
  { field: 'mailSmtpUrl', section: 'mail', key: 'smtp_url', kind: 'string', mail: true },
  { field: 'mailFrom', section: 'mail', key: 'from', kind: 'string', mail: true },
  { field: 'mailTo', section: 'mail', key: 'to', kind: 'strings', mail: true },
];

/** The env variable through which the validator accepts a secret field's value. */
export function secretEnvName(spec: FieldSpec): string | undefined {
  const key = SCHEMA[spec.section]?.[spec.key];
  return key?.secret ? key.env : undefined;
}

export const specOf = (field: TextField | SecretField): FieldSpec => {
  const spec = FIELD_SPECS.find((s) => s.field === field);
  if (!spec) throw new Error(`no config key for settings field ${field}`);
  return spec;
};

/** Maps a validator message ("file:3: aws.bucket: missing; …") to the form field it is about. */
export function fieldOfMessage(message: string): TextField | SecretField | undefined {
  const m = /(?:^|: )([a-z_]+)\.([a-z_]+): /.exec(message);
  if (!m) return undefined;
  return FIELD_SPECS.find((s) => s.section === m[1] && s.key === m[2])?.field;
}

export function emptyForm(): SettingsForm {
  const form = { flow: 'desktop', mailEnabled: false } as SettingsForm;
  for (const spec of FIELD_SPECS) form[spec.field] = '';
  return form;
}
