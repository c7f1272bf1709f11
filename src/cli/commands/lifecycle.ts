import { createInterface } from 'node:readline/promises';
import {
  BucketLifecycle,
  DEFAULT_ARCHIVE_AFTER_DAYS,
  DEFAULT_NONCURRENT_DAYS,
  formatLifecycle,
  planLifecycle,
  recommendedRules,
} from '../../core/lifecycle/index.js';
import { createS3Client } from '../../core/s3/client.js';
import { EXIT, type CliIO, type Command } from '../command.js';
import { wholeNumber } from './restore.js';

/** A CliIO that may bring its own yes/no prompt (tests); otherwise the terminal is asked. */
type PromptingIO = CliIO & { confirm?: (question: string) => Promise<boolean> };

export const lifecycleCommand: Command = {
  name: 'lifecycle',
  summary: "show the bucket's lifecycle rules beside the recommended ones; --apply merges them in",
  usage: 'lifecycle [--apply] [--yes] [--archive-after-days N] [--noncurrent-days N] [--json]',
  options: {
    apply: { type: 'boolean', description: 'add or update the recommended rules (keeps your own)' },
    yes: { type: 'boolean', description: 'apply without asking' },
    'archive-after-days': {
      type: 'string',
      description: `move objects to DEEP_ARCHIVE after N days (default ${DEFAULT_ARCHIVE_AFTER_DAYS})`,
    },
    'noncurrent-days': {
      type: 'string',
      description: `delete replaced versions N days later (default ${DEFAULT_NONCURRENT_DAYS})`,
    },
    json: { type: 'boolean', description: 'print machine-readable JSON' },
  },
  async run(ctx, values) {
    const archiveAfterDays = days(values['archive-after-days'], 'archive-after-days');
    const noncurrentDays = days(values['noncurrent-days'], 'noncurrent-days');
    const { config } = ctx.loadConfig();
    const client = createS3Client(config.aws, { sdkMaxAttempts: 3 });
    const io = ctx.io as PromptingIO;
    try {
      const lifecycle = new BucketLifecycle(client, config.aws.bucket, io.signal);
      const state = await lifecycle.read();
      const plan = planLifecycle(
        state.rules,
        recommendedRules({
          prefix: config.aws.prefix,
          storageClass: config.aws.storageClass,
          versioned: state.versioning !== undefined,
          archiveAfterDays,
          noncurrentDays,
        }),
      );
      const report = {
        bucket: config.aws.bucket,
        prefix: config.aws.prefix,
        versioning: state.versioning ?? 'off',
        plan,
      };
      const show = (applied: boolean): void => {
        io.stdout.write(
          values.json
            ? `${JSON.stringify({ ...report, plan: undefined, rules: state.rules, changes: plan.changes, changed: plan.changed, applied }, null, 2)}\n`
            : formatLifecycle(report),
        );
      };
      if (!values.apply || !plan.changed) {
        show(false);
        if (values.apply && !values.json) io.stdout.write('Nothing to apply.\n');
        else if (plan.changed && !values.json)
          io.stdout.write('Run `cloud-sync lifecycle --apply` to make these changes.\n');
        return EXIT.ok;
      }
      if (!values.yes) {
        const ask = values.json ? undefined : prompt(io);
        if (!ask) {
          show(false);
          io.stderr.write(
            'cloud-sync lifecycle: not changing the bucket without confirmation; run again with --yes to apply.\n',
          );
          return EXIT.partial;
        }
        io.stdout.write(formatLifecycle(report));
        if (!(await ask(`Write these rules to s3://${config.aws.bucket}? [y/N] `))) {
          io.stdout.write('Nothing changed.\n');
          return EXIT.partial;
        }
      }
      await lifecycle.write(plan.merged, state);
      if (values.json || values.yes) show(true);
      const n = plan.changes.filter((c) => c.action !== 'unchanged').length;
      if (!values.json)
        io.stdout.write(`Applied: ${n} rule${n === 1 ? '' : 's'} added or updated.\n`);
      return EXIT.ok;
    } finally {
      client.destroy();
    }
  },
};

function days(value: unknown, name: string): number | undefined {
  return wholeNumber(name, typeof value === 'string' ? value : undefined, 1, 36_500);
}

/** A yes/no question on an interactive terminal; undefined when nobody can answer. */
function prompt(io: PromptingIO): ((question: string) => Promise<boolean>) | undefined {
  if (io.confirm) return io.stdout.isTTY ? io.confirm : undefined;
  if (!io.stdout.isTTY || !process.stdin.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await rl.question(question)).trim());
    } finally {
      rl.close();
    }
  };
}
