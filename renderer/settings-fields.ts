/** The Settings form's fields: label, help and input kind. Keys and checks live in main. */
import type { SecretField, SettingsForm, TextField } from '../src/shared/ipc.js';

export interface FieldView {
  field: TextField | SecretField;
  label: string;
  help?: string;
  placeholder?: string;
  secret?: boolean;
  options?: ReadonlyArray<readonly [value: string, label: string]>;
  /** Shown only when this is true for the form. */
  when?: (form: SettingsForm) => boolean;
  wide?: boolean;
}

export interface FieldGroup {
  title: string;
  intro?: string;
  fields: FieldView[];
  /** A checkbox that switches the whole group on (mail). */
  toggle?: 'mailEnabled';
}

const web = (f: SettingsForm): boolean => f.flow === 'web';
const sendgrid = (f: SettingsForm): boolean => f.mailTransport !== 'smtp';

export const GROUPS: readonly FieldGroup[] = [
  {
    title: 'OneDrive',
    fields: [
      {
        field: 'clientId',
        label: 'Application (client) ID',
        help: 'From your app registration in the Azure portal.',
        placeholder: '00000000-0000-0000-0000-000000000000',
        wide: true,
      },
      {
        field: 'clientSecret',
        label: 'Client secret',
        secret: true,
        when: web,
        help: 'The secret’s Value (not its ID).',
      },
      {
        field: 'redirectUri',
        label: 'Redirect URI',
        when: web,
        placeholder: 'https://backup.example.org:8000/code',
        help: 'Exactly as registered under the Web platform in Azure.',
        wide: true,
      },
      { field: 'bindPort', label: 'Listener port', when: web, placeholder: '8000' },
      {
        field: 'tlsPrivateKey',
        label: 'TLS private key file',
        when: web,
        placeholder: '/etc/ssl/private/backup.key',
      },
      {
        field: 'tlsChainCert',
        label: 'TLS certificate chain file',
        when: web,
        placeholder: '/etc/ssl/certs/backup.pem',
      },
    ],
  },
  {
    title: 'Bucket',
    fields: [
      { field: 'bucket', label: 'Bucket name', placeholder: 'my-onedrive-backup' },
      { field: 'region', label: 'Region', placeholder: 'us-east-1' },
      { field: 'accessKeyId', label: 'Access key ID', secret: true },
      { field: 'secretAccessKey', label: 'Secret access key', secret: true },
      {
        field: 'prefix',
        label: 'Key prefix',
        placeholder: '(none: bucket root)',
        help: 'Objects go under this folder, e.g. onedrive/.',
      },
      {
        field: 'storageClass',
        label: 'Storage class',
        options: [
          ['', 'Standard (default)'],
          ['STANDARD_IA', 'Standard-IA'],
          ['ONEZONE_IA', 'One Zone-IA'],
          ['INTELLIGENT_TIERING', 'Intelligent-Tiering'],
          ['GLACIER_IR', 'Glacier Instant Retrieval'],
          ['GLACIER', 'Glacier Flexible Retrieval'],
          ['DEEP_ARCHIVE', 'Glacier Deep Archive'],
        ],
      },
      {
        field: 'endpoint',
        label: 'Endpoint (S3-compatible services only)',
        placeholder: 'https://s3.example.com',
        wide: true,
      },
    ],
  },
  {
    title: 'Schedule',
    fields: [
      {
        field: 'interval',
        label: 'Sync every',
        placeholder: '15m',
        help: 'Like 15m, 1h30m or off.',
      },
      {
        field: 'syncTime',
        label: 'Daily at',
        placeholder: 'HH:MM:SS',
        help: 'Optional, local time, e.g. 02:30:00.',
      },
    ],
  },
  {
    title: 'Deletions',
    intro: 'What happens in the bucket when a file is deleted in OneDrive.',
    fields: [
      {
        field: 'deletePolicy',
        label: 'When a file is deleted in OneDrive',
        options: [
          ['', 'Keep its copy (default)'],
          ['trash', 'Move its copy to the trash prefix'],
          ['delete', 'Delete its copy'],
        ],
      },
      {
        field: 'maxDelete',
        label: 'Ask before deleting more than',
        placeholder: '1000',
        help: 'Objects per sync.',
      },
    ],
  },
  {
    title: 'Mail alerts',
    toggle: 'mailEnabled',
    intro: 'A short mail when authorization is needed or a sync fails.',
    fields: [
      {
        field: 'mailTransport',
        label: 'Send with',
        options: [
          ['', 'SendGrid (default)'],
          ['smtp', 'SMTP server'],
        ],
      },
      { field: 'mailApiKey', label: 'SendGrid API key', secret: true, when: sendgrid },
      {
        field: 'mailSmtpUrl',
        label: 'SMTP URL',
        secret: true,
        when: (f) => !sendgrid(f),
        placeholder: 'smtp://user:pass@host:587',
      },
      { field: 'mailFrom', label: 'From', placeholder: 'Backup <backup@example.com>' },
      { field: 'mailTo', label: 'To', placeholder: 'me@example.com, you@example.com' },
    ],
  },
];
