import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Alerts } from '../../../src/core/notify/alerts.js';
import { SendGridTransport } from '../../../src/core/notify/transport.js';
import { memoryLogger } from '../../../src/core/log/logger.js';
import type { ItemFailure, RoundSummary } from '../../../src/shared/events.js';
import { FakeClock } from '../../helpers/clock.js';
import { SendGridStub } from './sendgrid-stub.js';

const KEY = 'SG.alerts-test-key.abcdefghijklmnopqrstuvwxyz';
const HOUR = 3600_000;
const GRANT = 'https://backup.example.org:8443/grant';

let roundId = 0;
function summary(over: Partial<RoundSummary> = {}): RoundSummary {
  roundId += 1;
  return {
    roundId,
    startedAt: '2026-11-27T09:00:00.000Z',
    finishedAt: '2026-11-27T09:05:00.000Z',
    full: false,
    dryRun: false,
    result: 'ok',
    uploaded: 3,
    copied: 0,
    metadataRewritten: 0,
    deleted: 0,
    trashed: 0,
    adopted: 0,
    skipped: 0,
    failed: 0,
    unchanged: 100,
    bytesUploaded: 1024,
    bytesDownloaded: 1024,
    failures: [],
    ...over,
  };
}

const failure = (i: number, over: Partial<ItemFailure> = {}): ItemFailure => ({
  path: `Documents/file-${i}.txt`,
  itemId: `ID${i}`,
  message: `download failed for file ${i}`,
  hint: 'The file is locked in OneDrive; close it in Office and it goes through next round.',
  code: 'locked',
  ...over,
});

const partial = (failures: ItemFailure[], failed = failures.length): RoundSummary =>
  summary({ result: 'partial', failed, failures });

describe('Alerts', () => {
  const stub = new SendGridStub(KEY);
  let url = '';
  let clock: FakeClock;
  let logger: ReturnType<typeof memoryLogger>;

  before(async () => {
    url = await stub.start();
  });
  after(() => stub.stop());
  beforeEach(() => {
    stub.mails.length = 0;
    stub.status = 202;
    clock = new FakeClock();
    logger = memoryLogger();
  });

  function alerts(over: { reminderHours?: number; roundSummary?: boolean } = {}): Alerts {
    return new Alerts({
      transport: new SendGridTransport({ apiKey: KEY, apiUrl: url }),
      mail: {
        from: 'backup@example.org',
        to: ['me@example.org'],
        reminderHours: over.reminderHours ?? 24,
        roundSummary: over.roundSummary ?? false,
      },
      clock,
      logger,
      host: 'nas',
    });
  }

  test('needs-authorization sends exactly one mail, with the re-authorize URL, even when repeated', async () => {
    const a = alerts();
    for (let i = 0; i < 5; i++) a.authState('needs-authorization', GRANT);
    a.authState('refreshing');
    a.authState('not-authorized', GRANT);
    await a.idle();
    assert.equal(stub.mails.length, 1);
    assert.match(stub.subjects()[0] ?? '', /sign in to OneDrive again so backups on nas can go on/);
    const text = stub.texts()[0] ?? '';
    assert.ok(text.includes(GRANT), text);
    assert.match(text, /Sign in with the Microsoft account/);
    assert.match(text, /cloud-sync authorize/);
  });

  test('a round that failed only because authorization lapsed sends no second mail', async () => {
    const a = alerts();
    a.authState('needs-authorization', GRANT);
    a.roundFinished(
      summary({
        result: 'failed',
        uploaded: 0,
        message: 'OneDrive authorization has to be renewed',
      }),
    );
    await a.idle();
    assert.deepEqual(stub.subjects().length, 1);
    assert.match(stub.subjects()[0] ?? '', /sign in to OneDrive again/);
    // A failed round with failed items is news of its own, even while authorization is pending.
    a.roundFinished(partial([failure(1)]));
    await a.idle();
    assert.equal(stub.mails.length, 2);
  });

  test('a problem that persists is mailed again as a reminder after reminderHours, once', async () => {
    const a = alerts({ reminderHours: 6 });
    a.authState('needs-authorization', GRANT);
    await clock.advance(5 * HOUR);
    a.authState('needs-authorization', GRANT);
    await a.idle();
    assert.equal(stub.mails.length, 1, 'no reminder before 6 hours');
    await clock.advance(1 * HOUR);
    a.authState('needs-authorization', GRANT);
    a.authState('needs-authorization', GRANT);
    await a.idle();
    assert.equal(stub.mails.length, 2);
    assert.match(stub.subjects()[1] ?? '', /^cloud-sync: Reminder: sign in/);
    assert.match(stub.texts()[1] ?? '', /still the case/);
    await clock.advance(6 * HOUR);
    a.tick();
    await a.idle();
    assert.equal(stub.mails.length, 3, 'tick() sends a due reminder without a new fact');
  });

  test('reminderHours = 0 never reminds', async () => {
    const a = alerts({ reminderHours: 0 });
    a.authState('needs-authorization');
    await clock.advance(1000 * HOUR);
    a.authState('needs-authorization');
    a.tick();
    await a.idle();
    assert.equal(stub.mails.length, 1);
  });

  test('authorization coming back sends one recovered mail', async () => {
    const a = alerts();
    a.authState('authorized');
    a.authState('needs-authorization', GRANT);
    a.authState('authorized');
    a.authState('authorized');
    await a.idle();
    assert.equal(stub.mails.length, 2);
    assert.match(stub.subjects()[1] ?? '', /^cloud-sync: working again on nas$/);
    assert.match(stub.texts()[1] ?? '', /authorized again/);
    assert.deepEqual(a.openProblems, []);
  });

  test('a partial round mails the first 20 failures with hints and the total; repeats stay quiet', async () => {
    const a = alerts();
    const failures = Array.from({ length: 25 }, (_, i) => failure(i));
    for (let i = 0; i < 5; i++) a.roundFinished(partial(failures, 137));
    await a.idle();
    assert.equal(stub.mails.length, 1);
    assert.match(stub.subjects()[0] ?? '', /137 files could not be backed up on nas/);
    const text = stub.texts()[0] ?? '';
    assert.match(text, /The first 20 of 137 failed items/);
    assert.ok(text.includes('Documents/file-19.txt'));
    assert.ok(!text.includes('Documents/file-20.txt'));
    assert.match(text, /What to do: The file is locked/);
    assert.match(text, /and 117 more/);
  });

  test('a failed round after partial ones is a change and is mailed; an ok round then recovers', async () => {
    const a = alerts();
    a.roundFinished(partial([failure(1)]));
    a.roundFinished(summary({ result: 'failed', message: 'The bucket "backup" does not exist.' }));
    a.roundFinished(summary({ result: 'failed', message: 'The bucket "backup" does not exist.' }));
    a.roundFinished(summary({ result: 'cancelled' }));
    a.roundFinished(summary({ result: 'ok' }));
    a.roundFinished(summary({ result: 'ok' }));
    await a.idle();
    assert.equal(stub.mails.length, 3);
    assert.match(stub.subjects()[1] ?? '', /failed/);
    assert.match(stub.texts()[1] ?? '', /does not exist/);
    assert.match(stub.subjects()[2] ?? '', /working again/);
    assert.match(stub.texts()[2] ?? '', /without errors again/);
  });

  test('a mass-delete stop is mailed once, with the numbers, however often the round repeats it', async () => {
    const a = alerts();
    for (let i = 0; i < 3; i++) {
      a.massDeleteStopped({
        wouldDelete: 4200,
        limit: 1000,
        message: 'Would delete 4,200 objects.',
      });
      a.roundFinished(summary({ result: 'stopped-mass-delete', message: 'mass delete' }));
    }
    await a.idle();
    assert.equal(stub.mails.length, 1);
    assert.match(stub.subjects()[0] ?? '', /stopped before deleting 4,200 backup objects on nas/);
    assert.match(stub.texts()[0] ?? '', /safety limit of 1,000/);
    assert.match(stub.texts()[0] ?? '', /--allow-mass-delete/);
    a.roundFinished(summary({ result: 'ok' }));
    await a.idle();
    assert.equal(stub.mails.length, 2);
    assert.match(stub.texts()[1] ?? '', /mass-delete stop is resolved/);
  });

  test('per-round summaries are off by default', async () => {
    const a = alerts();
    for (let i = 0; i < 3; i++) a.roundFinished(summary());
    await a.idle();
    assert.equal(stub.mails.length, 0);
  });

  test('with roundSummary on, every finished round is summarised once', async () => {
    const a = alerts({ roundSummary: true });
    a.roundFinished(summary({ uploaded: 7 }));
    a.roundFinished(summary({ result: 'cancelled' }));
    a.roundFinished(partial([failure(1)]));
    await a.idle();
    assert.equal(
      stub.mails.length,
      2,
      'a cancelled round is not summarised; a partial one mails its alert',
    );
    assert.match(stub.subjects()[0] ?? '', /Backup round \d+ on nas: ok, 7 uploaded, 0 failed/);
    assert.match(stub.texts()[0] ?? '', /round_summary = true/);
  });

  test('a failing mail API is logged as a warning and never throws into the caller', async () => {
    const a = alerts();
    stub.status = 500;
    stub.errorMessage = 'service unavailable';
    assert.doesNotThrow(() => a.authState('needs-authorization', GRANT));
    await a.idle();
    stub.status = 401;
    assert.doesNotThrow(() =>
      a.roundFinished(
        summary({ result: 'failed', failed: 1, failures: [failure(1)], message: 'x' }),
      ),
    );
    await a.idle();
    assert.equal(stub.mails.length, 0);
    const warnings = logger.lines.filter((l) => l.startsWith('warn'));
    assert.equal(warnings.length, 2, logger.lines.join('\n'));
    assert.match(warnings[0] ?? '', /alert mail not sent.*unavailable \(500\)/);
    assert.match(warnings[1] ?? '', /api_key/);
  });

  test('secrets in failure messages never reach the mail', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTYifQ.c2lnbmF0dXJlLXBhcnQ';
    const presigned = 'https://bucket.s3.amazonaws.com/a.txt?X-Amz-Signature=deadbeefcafe&x=1';
    const a = alerts();
    a.roundFinished(
      summary({
        result: 'failed',
        message: `Graph answered 401 for Authorization: Bearer ${jwt}`,
        failed: 1,
        failures: [failure(1, { message: `PUT ${presigned} failed`, hint: `api_key = "${KEY}"` })],
      }),
    );
    await a.idle();
    assert.equal(stub.mails.length, 1);
    const sent = JSON.stringify(stub.mails[0]?.body);
    for (const secret of [jwt, 'deadbeefcafe', KEY]) assert.ok(!sent.includes(secret), secret);
    assert.match(sent, /\[redacted\]/);
  });
});
