import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { checkValue, describe } from './check-value.js';
import { locateKey } from './locate.js';
import { expectedPhrase, OPEN_SECTIONS, SCHEMA, type KeySpec } from './schema.js';
import { closest } from './suggest.js';
import type {
  Config,
  ConfigWarning,
  DeletePolicy,
  MailTransport,
  SseMode,
  StorageClass,
} from './types.js';

export const DEFAULT_SCOPE = 'offline_access Files.Read';
export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com/consumers';
export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com/v1.0';

type Env = Readonly<Record<string, string | undefined>>;

export interface ValidateOptions {
  env?: Env;
  /** Also check that the TLS key and certificate can be read (commands that start the listener). */
  checkTlsFiles?: boolean;
}

type Raw = Record<string, unknown>;

/** Checks a parsed config.toml against SCHEMA and builds the typed Config, once. */
export class Validator {
  readonly warnings: ConfigWarning[] = [];
  readonly dir: string;
  readonly env: Env;

  constructor(
    readonly raw: Raw,
    readonly text: string,
    readonly file: string,
    readonly options: ValidateOptions,
  ) {
    this.dir = dirname(resolve(file));
    this.env = options.env ?? process.env;
  }

  run(): { config: Config; warnings: ConfigWarning[] } {
    this.warnUnknown();
    const config = this.build();
    return { config: deepFreeze(config), warnings: this.warnings };
  }

  private where(section: string, key?: string): string {
    const line = locateKey(this.text, section, key);
    return line === undefined ? this.file : `${this.file}:${line}`;
  }

  private fail(section: string, key: string, message: string): never {
    const error = new ConfigError(`${this.where(section, key)}: ${section}.${key}: ${message}`, {
      code: 'config-invalid',
    });
    error.warnings = this.warnings;
    throw error;
  }

  private warnUnknown(): void {
    const sections = Object.keys(SCHEMA);
    for (const [section, value] of Object.entries(this.raw)) {
      const spec = SCHEMA[section];
      if (!spec) {
        const guess = closest(section, sections);
        this.warn(
          section,
          undefined,
          `unknown section [${section}]${guess ? `; did you mean [${guess}]?` : ''} It is ignored.`,
        );
        continue;
      }
      if (!isTable(value))
        this.fail(section, '', `expected a [${section}] table, got ${describe(value)}`);
      if (OPEN_SECTIONS.has(section)) continue;
      const known = Object.keys(spec);
      for (const key of Object.keys(value)) {
        if (spec[key]) continue;
        const guess = closest(key, known);
        this.warn(
          section,
          key,
          `unknown key ${section}.${key}${guess ? `; did you mean ${guess}?` : ''} It is ignored.`,
        );
      }
    }
  }

  private warn(section: string, key: string | undefined, message: string): void {
    const line = locateKey(this.text, section, key);
    this.warnings.push({
      file: this.file,
      line,
      key: key === undefined ? section : `${section}.${key}`,
      message,
    });
  }

  /** Reads one key: validates the TOML value (or the env fallback) against its spec. */
  private value(section: string, key: string): unknown {
    const spec = SCHEMA[section]?.[key] as KeySpec;
    const table = this.raw[section];
    let value = isTable(table) ? table[key] : undefined;
    if (value === undefined && spec.env && this.env[spec.env]) value = this.env[spec.env];
    if (value === undefined) {
      if (spec.required) {
        const typo = isTable(table)
          ? Object.keys(table).find((k) => !SCHEMA[section]?.[k] && closest(k, [key]) === key)
          : undefined;
        this.fail(
          section,
          key,
          `missing; expected ${expectedPhrase(spec.type)}${isTable(table) ? '' : ` in a [${section}] section`}` +
            (typo ? ` (found unknown key "${typo}": a typo for "${key}"?)` : ''),
        );
      }
      return undefined;
    }
    const checked = checkValue(spec.type, value);
    if (!checked) {
      // A secret's value is never echoed, not even when it is malformed.
      const found = spec.secret ? `a ${typeof value} (value hidden)` : describe(value);
      this.fail(section, key, `expected ${expectedPhrase(spec.type)}, got ${found}`);
    }
    return spec.type.kind === 'path' ? this.path(checked.value as string) : checked.value;
  }

  private path(value: string): string {
    const expanded = value.startsWith('~/') ? join(homedir(), value.slice(2)) : value;
    return isAbsolute(expanded) ? expanded : resolve(this.dir, expanded);
  }

  private str(section: string, key: string): string | undefined {
    return this.value(section, key) as string | undefined;
  }

  private build(): Config {
    const v = (section: string, key: string): unknown => this.value(section, key);
    const dirFile = (name: string): string => join(this.dir, name);

    const clientSecret = this.str('onedrive', 'client_secret');
    const intervalMs = v('general', 'interval') as number | undefined;
    const syncTime = this.str('general', 'sync_time');
    const endpoint = this.str('aws', 'endpoint');
    const prefix = this.str('aws', 'prefix') ?? '';
    const sse = v('aws', 'sse') as SseMode | undefined;
    const kmsKeyId = this.str('aws', 'kms_key_id');
    if (sse !== 'aws:kms' && kmsKeyId)
      this.fail(
        'aws',
        'kms_key_id',
        'is set but aws.sse is not "aws:kms"; set sse = "aws:kms" or remove kms_key_id',
      );
    if (prefix.startsWith('/'))
      this.fail('aws', 'prefix', `expected a key prefix without a leading "/", got "${prefix}"`);

    const webServer = {
      bindAddress: this.str('web_server', 'bind_address') ?? '127.0.0.1',
      bindPort: (v('web_server', 'bind_port') as number | undefined) ?? 8000,
      tlsPrivateKey: this.str('web_server', 'tls_private_key'),
      tlsChainCert: this.str('web_server', 'tls_chain_cert'),
    };
    if (this.options.checkTlsFiles) {
      for (const [key, p] of [
        ['tls_private_key', webServer.tlsPrivateKey],
        ['tls_chain_cert', webServer.tlsChainCert],
      ] as const) {
        if (p === undefined) continue;
        try {
          accessSync(p, constants.R_OK);
        } catch (error) {
          this.fail(
            'web_server',
            key,
            `expected a readable file, but ${p} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
          );
        }
      }
    }

    const config: Config = {
      file: resolve(this.file),
      dir: this.dir,
      onedrive: {
        clientId: this.str('onedrive', 'client_id') as string,
        clientSecret,
        redirectUri: this.str('onedrive', 'redirect_uri'),
        scopes: (this.str('onedrive', 'scope') ?? DEFAULT_SCOPE).split(/\s+/).filter(Boolean),
        tokensPath: this.str('onedrive', 'tokens_path') ?? dirFile('tokens.json'),
        deltaLinkPath: this.str('onedrive', 'delta_link_path') ?? dirFile('delta_link.json'),
        authority: this.str('onedrive', 'authority') ?? DEFAULT_AUTHORITY,
        graphUrl: this.str('onedrive', 'graph_url') ?? DEFAULT_GRAPH_URL,
        realtime: (v('onedrive', 'realtime') as boolean | undefined) ?? false,
      },
      aws: {
        accessKeyId: this.str('aws', 'access_key_id'),
        secretAccessKey: this.str('aws', 'secret_access_key'),
        region: this.str('aws', 'region') ?? this.env.AWS_REGION ?? 'us-east-1',
        bucket: this.str('aws', 'bucket') as string,
        endpoint,
        forcePathStyle:
          (v('aws', 'force_path_style') as boolean | undefined) ?? endpoint !== undefined,
        prefix: prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`,
        storageClass: (v('aws', 'storage_class') as StorageClass | undefined) ?? 'STANDARD',
        sse,
        kmsKeyId,
        multipartThresholdBytes:
          ((v('aws', 'multipart_threshold_mib') as number | undefined) ?? 16) * 1024 * 1024,
      },
      mail: this.mail(),
      webServer,
      general: {
        syncTime,
        // The original had only sync_time; keep such configs daily-only unless interval is asked for.
        intervalMs: intervalMs ?? (syncTime ? 0 : 15 * 60_000),
        logPath: this.str('general', 'log_path'),
        statePath: this.str('general', 'state_path') ?? dirFile('state.db'),
        concurrency: (v('general', 'concurrency') as number | undefined) ?? 4,
        deletePolicy: (v('general', 'delete_policy') as DeletePolicy | undefined) ?? 'keep',
        trashPrefix: normalizeTrash(this.str('general', 'trash_prefix') ?? '.trash/'),
        maxDelete: (v('general', 'max_delete') as number | undefined) ?? 1000,
        maxDeleteShare: (v('general', 'max_delete_share') as number | undefined) ?? 0.5,
        verifyIntervalMs: (v('general', 'verify_interval') as number | undefined) ?? 24 * 3_600_000,
      },
      extra: isTable(this.raw.pricing) ? { pricing: this.raw.pricing } : {},
    };
    if (
      (clientSecret || config.onedrive.redirectUri?.startsWith('https:')) &&
      !config.onedrive.redirectUri
    ) {
      this.fail(
        'onedrive',
        'redirect_uri',
        'missing; the Web flow (client_secret set) needs the https://host:port/code address registered in Azure',
      );
    }
    return config;
  }

  private mail(): Config['mail'] {
    if (!isTable(this.raw.mail)) return undefined;
    const transport = (this.value('mail', 'transport') as MailTransport | undefined) ?? 'sendgrid';
    const apiKey = this.str('mail', 'api_key');
    const smtpUrl = this.str('mail', 'smtp_url');
    if (transport === 'sendgrid' && !apiKey)
      this.fail(
        'mail',
        'api_key',
        'missing; expected the SendGrid API key (or env SENDGRID_API_KEY), or transport = "smtp"',
      );
    if (transport === 'smtp' && !smtpUrl)
      this.fail(
        'mail',
        'smtp_url',
        'missing; expected smtp://user:pass@host:port (or env SMTP_URL) with transport = "smtp"',
      );
    const from = this.str('mail', 'from');
    if (!from)
      this.fail(
        'mail',
        'from',
        'missing; expected the sender address, e.g. "Backup <backup@example.com>"',
      );
    const to = this.value('mail', 'to') as string[] | undefined;
    if (!to) this.fail('mail', 'to', 'missing; expected the recipient address (or a list of them)');
    return {
      transport,
      apiKey,
      apiUrl: this.str('mail', 'api_url') ?? 'https://api.sendgrid.com',
      smtpUrl,
      from,
      to,
      reminderHours: (this.value('mail', 'reminder_hours') as number | undefined) ?? 24,
      roundSummary: (this.value('mail', 'round_summary') as boolean | undefined) ?? false,
    };
  }
}

function normalizeTrash(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function isTable(value: unknown): value is Raw {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
