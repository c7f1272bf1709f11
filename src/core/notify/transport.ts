import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import nodemailer from 'nodemailer';
import type { MailConfig } from '../config/types.js';
import { ConfigError, SyncError } from '../errors.js';
import { Redactor, redact as redactGlobal } from '../log/redact.js';

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
}

/** Where alert mails go out. `send` rejects with a MailSendError; it never hangs forever. */
export interface MailTransport {
  send(mail: MailMessage): Promise<void>;
}

/** A mail the provider did not accept; `code` says why, `hint` what to change. */
export class MailSendError extends SyncError {
  constructor(message: string, code: string, hint: string | undefined, cause?: unknown) {
    super(code === 'mail-unavailable' ? 'retryable' : 'fatal', message, {
      code,
      ...(hint === undefined ? {} : { hint }),
      cause,
    });
    this.name = 'MailSendError';
  }
}

export const DEFAULT_SENDGRID_URL = 'https://api.sendgrid.com';
const DEFAULT_TIMEOUT_MS = 30_000;

export interface SendGridOptions {
  apiKey: string;
  /** Base URL of the API (tests point it at a local server). Default https://api.sendgrid.com. */
  apiUrl?: string;
  timeoutMs?: number;
}

/** SendGrid's v3 Mail Send API (`POST /v3/mail/send`, Bearer key, 202 on success). */
export class SendGridTransport implements MailTransport {
  private readonly service: MailService;
  private readonly secrets = new Redactor();

  constructor(options: SendGridOptions) {
    const client = new Client();
    client.setApiKey(options.apiKey);
    // setApiKey resets the base URL to SendGrid's, so the override must come after it.
    client.setDefaultRequest(
      'baseUrl',
      (options.apiUrl ?? DEFAULT_SENDGRID_URL).replace(/\/*$/, '/'),
    );
    this.service = new MailService();
    this.service.setClient(client);
    this.service.setTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.secrets.addSecret(options.apiKey);
  }

  async send(mail: MailMessage): Promise<void> {
    try {
      const [response] = await this.service.send({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
      });
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw Object.assign(new Error(`unexpected status ${response.statusCode}`), {
          code: response.statusCode,
        });
      }
    } catch (error) {
      throw this.classify(error);
    }
  }

  private classify(error: unknown): MailSendError {
    const e = error as { code?: unknown; message?: unknown; response?: { body?: unknown } };
    const status = typeof e.code === 'number' ? e.code : undefined;
    const detail = this.safe(describeBody(e.response?.body) ?? String(e.message ?? error));
    if (status === 401 || status === 403) {
      return new MailSendError(
        `SendGrid refused the API key (${status}): ${detail}`,
        'mail-auth',
        'Check [mail] api_key: the key may be wrong, revoked, or lack the "Mail Send" permission.',
        error,
      );
    }
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
      return new MailSendError(
        `SendGrid rejected the mail (${status}): ${detail}`,
        'mail-rejected',
        'Check [mail] from (a verified sender in SendGrid) and [mail] to.',
        error,
      );
    }
    return new MailSendError(
      `SendGrid is unavailable${status ? ` (${status})` : ''}: ${detail}`,
      'mail-unavailable',
      undefined,
      error,
    );
  }

  private safe(text: string): string {
    return redactGlobal(this.secrets.redact(text)).slice(0, 500);
  }
}

export interface SmtpOptions {
  /** e.g. smtps://user:pass@smtp.example.com:465 or smtp://host:587 (STARTTLS when offered). */
  smtpUrl: string;
  timeoutMs?: number;
}

/** Any SMTP server, through nodemailer; for those without a SendGrid account. */
export class SmtpTransport implements MailTransport {
  private readonly transporter: ReturnType<typeof nodemailer.createTransport>;
  private readonly secrets = new Redactor();

  constructor(options: SmtpOptions) {
    let url: URL;
    try {
      url = new URL(options.smtpUrl);
    } catch (cause) {
      throw new ConfigError(
        'Expected [mail] smtp_url to be a URL like smtps://user:pass@host:465',
        {
          cause,
        },
      );
    }
    this.secrets.addSecret(decodeURIComponent(url.password));
    this.secrets.addSecret(url.password);
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.transporter = nodemailer.createTransport({
      url: options.smtpUrl,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
  }

  async send(mail: MailMessage): Promise<void> {
    try {
      await this.transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
      });
    } catch (error) {
      const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
      const detail = redactGlobal(this.secrets.redact(String(e.message ?? error))).slice(0, 500);
      if (e.code === 'EAUTH') {
        throw new MailSendError(
          `The SMTP server refused the login: ${detail}`,
          'mail-auth',
          'Check the user name and password in [mail] smtp_url.',
          error,
        );
      }
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      throw new MailSendError(
        `${permanent ? 'The SMTP server rejected the mail' : 'The SMTP server is unavailable'}: ${detail}`,
        permanent ? 'mail-rejected' : 'mail-unavailable',
        permanent
          ? 'Check [mail] from and [mail] to, and whether the server relays for you.'
          : undefined,
        error,
      );
    }
  }

  close(): void {
    this.transporter.close();
  }
}

/** The transport `[mail] transport` names; a ConfigError when its key or URL is missing. */
export function createTransport(mail: MailConfig): MailTransport {
  if (mail.transport === 'smtp') {
    if (!mail.smtpUrl) {
      throw new ConfigError('[mail] transport = "smtp" needs [mail] smtp_url', {
        hint: 'Set smtp_url (or the SMTP_URL environment variable), e.g. smtps://user:pass@host:465.',
      });
    }
    return new SmtpTransport({ smtpUrl: mail.smtpUrl });
  }
  if (!mail.apiKey) {
    throw new ConfigError('[mail] transport = "sendgrid" needs [mail] api_key', {
      hint: 'Set api_key (or the SENDGRID_API_KEY environment variable), or remove [mail].',
    });
  }
  return new SendGridTransport({ apiKey: mail.apiKey, apiUrl: mail.apiUrl });
}

/** SendGrid's error body is `{errors: [{message, field}]}`; keep just the messages. */
function describeBody(body: unknown): string | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body === 'string') return body;
  const errors = (body as { errors?: unknown }).errors;
  if (Array.isArray(errors)) {
    const messages = errors
      .map((x) => (x as { message?: unknown }).message)
      .filter((m): m is string => typeof m === 'string');
    if (messages.length) return messages.join('; ');
  }
  return JSON.stringify(body);
}
