import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { test } from 'node:test';
import type { UploadCheckpoint } from '../../src/core/s3/types.js';
import { StateStore } from '../../src/core/store/index.js';
import { assertBucketMatchesDrive } from '../integration/bucket.js';
import { playWebFlow } from '../sim/identity/browser.js';
import { daemonWorld, SENDGRID_KEY, until } from './daemon-world.js';

const HOUR = 3_600_000;
const rounds = (out: string): number => out.match(/^\S+ (Round|Dry run)/gm)?.length ?? 0;

test('the daemon completes /grant → /code, then runs rounds on its schedule, and stops cleanly', async (t) => {
  const w = await daemonWorld(t);
  w.graph.drive.addFile('Documents/a.txt', 'alpha');
  w.graph.drive.addFile('Documents/Sub/b é #1.txt', 'beta');
  w.start();
  await until('the listener', () => w.output().includes('To authorize, open'));
  assert.match(w.output(), /authorization: not-authorized/);
  assert.equal(w.graph.counters.count('delta'), 0, 'no round before authorization');

  const hops = await playWebFlow(`http://127.0.0.1:${w.port}/grant`, w.fx.sim.ca);
  assert.equal(hops.at(-1)?.status, 200);
  await until('the first round', () => rounds(w.output()) === 1);
  await assertBucketMatchesDrive(w.s3.client, w.s3.bucket, w.graph.drive, { prefix: '' });

  // The schedule: nothing happens before the interval, one round after it.
  w.graph.drive.addFile('Documents/c.txt', 'gamma');
  const deltasBefore = w.graph.counters.count('delta');
  await w.clock.advance(HOUR / 2);
  assert.equal(w.graph.counters.count('delta'), deltasBefore);
  await w.clock.advance(HOUR / 2);
  await until('the scheduled round', () => rounds(w.output()) === 2);
  await assertBucketMatchesDrive(w.s3.client, w.s3.bucket, w.graph.drive, { prefix: '' });

  assert.equal(await w.stop(), 0);
  assert.match(w.output(), /cloud-sync daemon: stopped\./);
});

test('tokens survive a 503 from the identity service; invalid_grant means one mail, and re-authorizing resumes without a restart', async (t) => {
  const w = await daemonWorld(t);
  // Under MSAL's 5-minute margin: every round refreshes, so every round meets the token endpoint.
  w.fx.sim.accessTokenLifetimeSeconds = 60;
  w.graph.drive.addFile('a.txt', 'alpha');
  w.start();
  await until('the listener', () => w.output().includes('To authorize, open'));
  await playWebFlow(`http://127.0.0.1:${w.port}/grant`, w.fx.sim.ca);
  await until('the first round', () => rounds(w.output()) === 1);
  const mailsAfterStart = w.mail.mails.length;

  // A transient outage: the round cannot get a token, the tokens file stays as it was.
  const tokensBefore = readFileSync(w.fx.tokensPath, 'utf8');
  w.fx.sim.failNextToken('unavailable', { status: 503 });
  w.graph.drive.addFile('b.txt', 'beta');
  const refreshes = w.fx.sim.counters.refresh;
  await w.clock.advance(HOUR);
  await until('the refresh attempt', () => w.fx.sim.counters.faults >= 1);
  assert.equal(
    readFileSync(w.fx.tokensPath, 'utf8'),
    tokensBefore,
    'a 503 never touches the tokens',
  );
  assert.doesNotMatch(w.output(), /needs-authorization/);

  // The next scheduled round refreshes fine and catches up.
  await w.clock.advance(HOUR);
  await until(
    'the catch-up round',
    () => w.fx.sim.counters.refresh > refreshes && rounds(w.output()) >= 2,
  );
  await until(
    'b.txt in the bucket',
    () => w.graph.counters.completeDownloads(w.graph.drive.byPath('b.txt')?.id) === 1,
  );

  // Refresh tokens revoked (90 days unused, password change): needs authorization, one mail.
  w.fx.sim.revokeRefreshTokens();
  await w.clock.advance(HOUR);
  await until('needs-authorization', () => /authorization: needs-authorization/.test(w.output()));
  await w.clock.advance(HOUR);
  await w.clock.advance(HOUR);
  await until('the alert mail', () => w.mail.mails.length === mailsAfterStart + 1);
  const alert = w.mail.mails.at(-1)?.body;
  const text = JSON.stringify(alert);
  assert.match(alert?.subject ?? '', /sign in to OneDrive again/);
  assert.ok(
    text.includes(`http://127.0.0.1:${w.port}/grant`),
    'the mail says where to re-authorize',
  );
  assert.ok(!text.includes(SENDGRID_KEY) && !text.includes('sim-secret'), 'no secret in the mail');
  assert.equal(
    w.mail.mails.length,
    mailsAfterStart + 1,
    'one mail however many rounds were skipped',
  );

  // Authorizing again resumes the schedule in the same process, and says so once.
  w.graph.drive.addFile('c.txt', 'gamma');
  const okRounds = (): number => w.output().match(/Round \d+: ok/g)?.length ?? 0;
  const okBefore = okRounds();
  await playWebFlow(`http://127.0.0.1:${w.port}/grant`, w.fx.sim.ca);
  // The round's summary line is printed once its uploads are recorded, not when a download ends.
  await until('a round after re-authorizing', () => okRounds() > okBefore);
  assert.equal(w.graph.counters.completeDownloads(w.graph.drive.byPath('c.txt')?.id), 1);
  await until('the recovered mail', () => w.mail.mails.length === mailsAfterStart + 2);
  await assertBucketMatchesDrive(w.s3.client, w.s3.bucket, w.graph.drive, { prefix: '' });
  assert.equal(await w.stop(), 0);
});

test('SIGTERM during a large upload exits 0 after a checkpoint, and the next start resumes it', async (t) => {
  const w = await daemonWorld(t);
  const MiB = 1024 * 1024;
  const big = w.graph.drive.addFile('Videos/big.bin', { size: 40 * MiB, seed: 7 });
  w.graph.drive.addFile('small.txt', 'small');
  // The download stalls after 24 MiB: parts before that are uploaded and checkpointed.
  w.graph.faults.stallAfter({ bytes: 24 * MiB, ms: 60_000, itemId: big.id });
  w.start();
  await until('the listener', () => w.output().includes('To authorize, open'));
  await playWebFlow(`http://127.0.0.1:${w.port}/grant`, w.fx.sim.ca);
  const parts = async (): Promise<number> => {
    const uploads = await w.s3.client.send(
      new ListMultipartUploadsCommand({ Bucket: w.s3.bucket }),
    );
    const upload = uploads.Uploads?.[0];
    if (!upload) return 0;
    const listed = await w.s3.client.send(
      new ListPartsCommand({ Bucket: w.s3.bucket, Key: upload.Key, UploadId: upload.UploadId }),
    );
    return listed.Parts?.length ?? 0;
  };
  let uploaded = 0;
  const deadline = Date.now() + 30_000;
  while ((uploaded = await parts()) < 2 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  assert.ok(uploaded >= 2, 'two parts went up before the stall');

  const stopping = Date.now();
  assert.equal(await w.stop(), 0);
  assert.ok(Date.now() - stopping < 10_000, 'stopping does not wait for the stalled download');
  assert.match(w.output(), /cloud-sync daemon: stopped\./);

  // What the store holds for the interrupted upload is exactly what must not be fetched again.
  const store = StateStore.open(join(w.fx.dir, 'state.db'));
  const checkpoints = store.db.all<{ data: string }>('SELECT data FROM checkpoints');
  store.close();
  assert.equal(checkpoints.length, 1);
  const checkpointed = (JSON.parse(checkpoints[0]?.data ?? '{}') as UploadCheckpoint).bytes;
  assert.ok(checkpointed >= 8 * MiB, `at least one part was checkpointed (got ${checkpointed})`);

  // Restart: authorized now, so the first round runs at once and resumes after the parts.
  w.graph.faults.clear();
  const servedBefore = w.graph.counters.bytesServed(big.id);
  w.start();
  await until('the resumed round', () => w.graph.counters.completeDownloads(big.id) === 1, 60_000);
  await until('the round summary', () => /Round \d+: ok/.test(w.output()), 30_000);
  await assertBucketMatchesDrive(w.s3.client, w.s3.bucket, w.graph.drive, { prefix: '' });
  const resent = w.graph.counters.bytesServed(big.id) - servedBefore;
  assert.equal(resent, 40 * MiB - checkpointed, 'only what was not checkpointed is fetched again');
  assert.equal(await w.stop(), 0);
});
