import {
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CliIO } from '../../src/cli/command.js';
import { cli } from '../helpers/cli.js';
import { writeConfig } from '../helpers/config.js';
import { freshBucket } from '../helpers/s3.js';

/** A bucket holding one rule of the user's, and a config dir pointing at it. */
async function setup(options: { versioned?: boolean } = {}) {
  const s3 = await freshBucket(options);
  await s3.client.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: s3.bucket,
      LifecycleConfiguration: {
        Rules: [
          {
            ID: 'my-own-rule',
            Status: 'Enabled',
            Filter: { Prefix: 'tmp/' },
            Expiration: { Days: 1 },
          },
        ],
      },
    }),
  );
  const { dir } = writeConfig(
    (d) => `[onedrive]
client_id = "cli-client"
tokens_path = "${d}/tokens.json"

[aws]
bucket = "${s3.bucket}"
endpoint = "${s3.endpoint}"
force_path_style = true
region = "us-east-1"
access_key_id = "test"
secret_access_key = "test"
prefix = "onedrive/"
`,
  );
  const ruleIds = async () =>
    (
      await s3.client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: s3.bucket }))
    ).Rules?.map((r) => r.ID);
  return { ...s3, env: { CONFIG_PATH: dir }, ruleIds };
}

test('lifecycle shows the bucket’s rules beside the recommended ones and changes nothing', async () => {
  const { env, ruleIds } = await setup();
  const { code, stdout } = await cli(['lifecycle'], env);
  assert.equal(code, 0);
  assert.match(
    stdout,
    /Lifecycle rules now \(1\):\n\s+my-own-rule\s+prefix "tmp\/": delete after 1 day\n/,
  );
  assert.match(
    stdout,
    /\+ cloud-sync-abort-multipart:onedrive\/\s+prefix "onedrive\/": abort unfinished multipart uploads after 7 days/,
  );
  assert.match(
    stdout,
    /\+ cloud-sync-archive:onedrive\/\s+prefix "onedrive\/": move to DEEP_ARCHIVE after 30 days/,
  );
  assert.doesNotMatch(stdout, /noncurrent/, 'no version rule for an unversioned bucket');
  assert.match(stdout, /Run `cloud-sync lifecycle --apply`/);
  assert.deepEqual(await ruleIds(), ['my-own-rule']);
});

test('--apply without --yes and without a terminal prints the diff and refuses with exit 1', async () => {
  const { env, ruleIds } = await setup();
  const { code, stdout, stderr } = await cli(['lifecycle', '--apply'], env);
  assert.equal(code, 1);
  assert.match(stdout, /\+ cloud-sync-archive:onedrive\//);
  assert.match(stderr, /not changing the bucket without confirmation; run again with --yes/);
  assert.deepEqual(await ruleIds(), ['my-own-rule']);
});

test('--apply --yes keeps the user’s rule and adds ours; a second apply changes nothing', async () => {
  const { env, ruleIds } = await setup({ versioned: true });
  const first = await cli(['lifecycle', '--apply', '--yes', '--archive-after-days', '45'], env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Applied: 3 rules added or updated/);
  assert.deepEqual(await ruleIds(), [
    'my-own-rule',
    'cloud-sync-abort-multipart:onedrive/',
    'cloud-sync-archive:onedrive/',
    'cloud-sync-noncurrent-versions:onedrive/',
  ]);
  const second = await cli(['lifecycle', '--apply', '--yes', '--archive-after-days', '45'], env);
  assert.equal(second.code, 0);
  assert.match(second.stdout, /already has every recommended rule/);
  assert.match(second.stdout, /Nothing to apply/);
  const json = await cli(['lifecycle', '--json', '--archive-after-days', '45'], env);
  const report = JSON.parse(json.stdout) as {
    changed: boolean;
    versioning: string;
    changes: { action: string }[];
  };
  assert.equal(report.changed, false);
  assert.equal(report.versioning, 'Enabled');
  assert.deepEqual(
    report.changes.map((c) => c.action),
    ['unchanged', 'unchanged', 'unchanged'],
  );
});

test('on a terminal --apply asks first, and a "no" leaves the bucket alone', async () => {
  const { env, ruleIds } = await setup();
  const questions: string[] = [];
  const tty = (answer: boolean) =>
    ({
      stdout: { write: () => true, isTTY: true },
      confirm: async (q: string) => {
        questions.push(q);
        return answer;
      },
    }) as Partial<CliIO>;
  const no = await cli(['lifecycle', '--apply'], env, tty(false));
  assert.equal(no.code, 1);
  assert.deepEqual(await ruleIds(), ['my-own-rule']);
  const yes = await cli(['lifecycle', '--apply'], env, tty(true));
  assert.equal(yes.code, 0);
  assert.match(questions[0] ?? '', /Write these rules to s3:\/\/t-.*\? \[y\/N\]/);
  assert.equal(questions.length, 2);
  assert.deepEqual(await ruleIds(), [
    'my-own-rule',
    'cloud-sync-abort-multipart:onedrive/',
    'cloud-sync-archive:onedrive/',
  ]);
});

test('a day count that is not a whole number exits 2 naming the option', async () => {
  const { env } = await setup();
  const { code, stderr } = await cli(['lifecycle', '--archive-after-days', '0'], env);
  assert.equal(code, 2);
  assert.match(stderr, /--archive-after-days: expected a whole number from 1 to 36500, got "0"/);
});
