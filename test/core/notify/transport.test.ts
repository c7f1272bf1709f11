import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createTransport,
  MailSendError,
  SendGridTransport,
  SmtpTransport,
} from '../../../src/core/notify/transport.js';
import type { MailConfig } from '../../../src/core/config/types.js';
import { ConfigError } from '../../../src/core/errors.js';
import { SendGridStub } from './sendgrid-stub.js';
import { SmtpSink } from './smtp-sink.js';

const KEY = 'SG.transport-test-key.abcdefghijklmnopqrstuvwxyz';
const mail = {
  from: 'backup@example.org',
  to: ['me@example.org', 'you@example.org'],
  subject: 'cloud-sync: hello',
  text: 'plain words',
};

const mailConfig = (over: Partial<MailConfig>): MailConfig => ({
  transport: 'sendgrid',
  apiKey: undefined,
  apiUrl: 'https://api.sendgrid.com',
  smtpUrl: undefined,
  from: 'backup@example.org',
  to: ['me@example.org'],
  reminderHours: 24,
  roundSummary: false,
  ...over,
});

describe('SendGridTransport', () => {
  const stub = new SendGridStub(KEY);
  let url = '';
  before(async () => {
    url = await stub.start();
  });
  after(() => stub.stop());

  test('posts the mail to /v3/mail/send at apiUrl with the key as a Bearer token', async () => {
    stub.mails.length = 0;
    stub.status = 202;
    await new SendGridTransport({ apiKey: KEY, apiUrl: url }).send(mail);
    assert.equal(stub.mails.length, 1);
    const sent = stub.mails[0];
    assert.equal(sent?.authorization, `Bearer ${KEY}`);
    assert.equal(sent?.body.from.email, 'backup@example.org');
    assert.equal(sent?.body.subject, 'cloud-sync: hello');
    assert.deepEqual(
      sent?.body.personalizations[0]?.to.map((t) => t.email),
      ['me@example.org', 'you@example.org'],
    );
    assert.deepEqual(stub.texts(), ['plain words']);
  });

  test('createTransport builds a SendGrid transport that reaches the configured apiUrl', async () => {
    stub.mails.length = 0;
    stub.status = 202;
    await createTransport(mailConfig({ apiKey: KEY, apiUrl: `${url}/` })).send(mail);
    assert.equal(stub.mails.length, 1);
  });

  test('a refused key is a mail-auth error that names the fix and not the key', async () => {
    stub.status = 401;
    stub.errorMessage = `key ${KEY} is revoked`;
    const error = await new SendGridTransport({ apiKey: KEY, apiUrl: url }).send(mail).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof MailSendError);
    assert.equal(error.code, 'mail-auth');
    assert.match(error.hint ?? '', /api_key/);
    assert.match(error.message, /401/);
    assert.ok(!error.message.includes(KEY), error.message);
  });

  test('a server error is a retryable mail-unavailable error', async () => {
    stub.status = 500;
    stub.errorMessage = 'internal error';
    const error = await new SendGridTransport({ apiKey: KEY, apiUrl: url })
      .send(mail)
      .catch((e: unknown) => e);
    assert.ok(error instanceof MailSendError);
    assert.equal(error.code, 'mail-unavailable');
    assert.equal(error.kind, 'retryable');
  });
});

describe('SmtpTransport', () => {
  const sink = new SmtpSink('mailer', 'p@ss word!');
  let port = 0;
  before(async () => {
    port = await sink.start();
  });
  after(() => sink.stop());

  test('delivers through an SMTP server, logging in with the credentials in smtp_url', async () => {
    const transport = createTransport(
      mailConfig({
        transport: 'smtp',
        smtpUrl: `smtp://mailer:${encodeURIComponent('p@ss word!')}@127.0.0.1:${port}`,
      }),
    );
    await transport.send(mail);
    (transport as SmtpTransport).close();
    const got = sink.mails.at(-1);
    assert.equal(got?.login, 'mailer');
    assert.equal(got?.from, 'backup@example.org');
    assert.deepEqual(got?.to, ['me@example.org', 'you@example.org']);
    assert.match(got?.data ?? '', /Subject: cloud-sync: hello/);
    assert.match(got?.data ?? '', /plain words/);
  });

  test('a wrong password is a mail-auth error that does not repeat the password', async () => {
    const transport = new SmtpTransport({
      smtpUrl: `smtp://mailer:wrong-secret-1@127.0.0.1:${port}`,
    });
    const error = await transport.send(mail).catch((e: unknown) => e);
    transport.close();
    assert.ok(error instanceof MailSendError);
    assert.equal(error.code, 'mail-auth');
    assert.match(error.hint ?? '', /smtp_url/);
    assert.ok(!error.message.includes('wrong-secret-1'), error.message);
  });
});

describe('createTransport', () => {
  test('names the missing key for each transport', () => {
    assert.throws(
      () => createTransport(mailConfig({})),
      (e: unknown) => e instanceof ConfigError && /api_key/.test(e.message),
    );
    assert.throws(
      () => createTransport(mailConfig({ transport: 'smtp' })),
      (e: unknown) => e instanceof ConfigError && /smtp_url/.test(e.message),
    );
  });
});
