/** The validated, frozen configuration every module receives. Field docs live in config.example.toml. */
export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

export const DELETE_POLICIES = ['keep', 'delete', 'trash'] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

export const SSE_MODES = ['AES256', 'aws:kms'] as const;
export type SseMode = (typeof SSE_MODES)[number];

export const MAIL_TRANSPORTS = ['sendgrid', 'smtp'] as const;
export type MailTransport = (typeof MAIL_TRANSPORTS)[number];

export interface OneDriveConfig {
  clientId: string;
  /** Present: the Web flow (confidential client). Absent: the desktop flow (public client + PKCE). */
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  scopes: string[];
  tokensPath: string;
  deltaLinkPath: string;
  authority: string;
  graphUrl: string;
  realtime: boolean;
}

export interface AwsConfig {
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  region: string;
  bucket: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  prefix: string;
  storageClass: StorageClass;
  sse: SseMode | undefined;
  kmsKeyId: string | undefined;
  multipartThresholdBytes: number;
}

export interface MailConfig {
  transport: MailTransport;
  apiKey: string | undefined;
  apiUrl: string;
  smtpUrl: string | undefined;
  from: string;
  to: string[];
  reminderHours: number;
  roundSummary: boolean;
}

export interface WebServerConfig {
  bindAddress: string;
  bindPort: number;
  tlsPrivateKey: string | undefined;
  tlsChainCert: string | undefined;
}

export interface GeneralConfig {
  /** Daily start time "HH:MM:SS", local time. */
  syncTime: string | undefined;
  /** Milliseconds between rounds; 0 = no interval schedule. */
  intervalMs: number;
  logPath: string | undefined;
  statePath: string;
  concurrency: number;
  deletePolicy: DeletePolicy;
  trashPrefix: string;
  maxDelete: number;
  maxDeleteShare: number;
  /** Milliseconds between automatic verifications in the daemon; 0 = off. */
  verifyIntervalMs: number;
}

export interface Config {
  /** The file this was loaded from, and its directory (relative paths resolve against it). */
  file: string;
  dir: string;
  onedrive: OneDriveConfig;
  aws: AwsConfig;
  mail: MailConfig | undefined;
  webServer: WebServerConfig;
  general: GeneralConfig;
  /** Raw sections no core module owns yet (e.g. [pricing]), already TOML-parsed. */
  extra: Readonly<Record<string, unknown>>;
}

export interface ConfigWarning {
  file: string;
  line: number | undefined;
  key: string;
  message: string;
}
