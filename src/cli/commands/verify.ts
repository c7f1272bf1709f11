import { StateStore } from '../../core/store/index.js';
import { SyncEngine } from '../../core/sync/engine.js';
import { markForRepair, verifyBucket, type VerifyReport } from '../../core/verify/verify.js';
import { formatBytes, plural } from '../../shared/format.js';
import { EXIT, type Command } from '../command.js';
import { defaultDeps, type CliDeps } from '../deps.js';
import { formatSummary } from '../progress.js';

/** Lines listed per kind of difference before "… and N more". */
const LISTED = 50;

export function createVerifyCommand(deps: CliDeps = defaultDeps): Command {
  return {
    name: 'verify',
    summary: 'compare the bucket listing with the state store (no HEAD per object)',
    usage: 'verify [--json] [--repair]',
    options: {
      json: { type: 'boolean', description: 'print machine-readable JSON' },
      repair: {
        type: 'boolean',
        description: 're-transfer what is missing or wrong, then verify again',
      },
    },
    async run(ctx, values) {
      const { config } = ctx.loadConfig();
      const logger = await ctx.logger(config);
      const { io } = ctx;
      const store = StateStore.openExisting(config.general.statePath);
      if (!store) {
        const message = `no state store at ${config.general.statePath} yet; run \`cloud-sync sync\` first.`;
        if (values.json)
          io.stdout.write(`${JSON.stringify({ equal: false, error: message }, null, 2)}\n`);
        io.stderr.write(`cloud-sync verify: ${message}\n`);
        return EXIT.differences;
      }
      try {
        const hooks = { logger, onThrottle: () => undefined };
        const target = deps.createTarget(config, hooks);
        const check = () =>
          verifyBucket({
            db: store.db,
            target,
            prefix: config.aws.prefix,
            trashPrefix: config.general.trashPrefix,
            signal: io.signal,
          });
        let report = await check();
        if (values.repair && !report.equal) {
          const marked = markForRepair(store.db, report);
          io.stderr.write(`Repairing ${plural(marked, 'object')}…\n`);
          const tokens = deps.createTokenProvider(config, logger);
          const engine = new SyncEngine({
            config,
            store,
            source: deps.createSource(config, tokens, hooks),
            target,
            logger,
          });
          const summary = await engine.runRound({ signal: io.signal });
          io.stderr.write(formatSummary(summary));
          report = await check();
        }
        io.stdout.write(
          values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report),
        );
        return report.equal ? EXIT.ok : EXIT.differences;
      } finally {
        store.close();
      }
    },
  };
}

function formatReport(r: VerifyReport): string {
  const lines = [
    `Listed ${plural(r.listed, 'object')} under the prefix; the state store knows ${plural(r.known, 'object')}` +
      (r.retained ? ` (+ ${r.retained} old keys kept by delete_policy = "keep")` : '') +
      '.',
  ];
  const section = <T>(title: string, items: T[], line: (item: T) => string): void => {
    if (items.length === 0) return;
    lines.push(`${title} (${items.length}):`, ...items.slice(0, LISTED).map((i) => `  ${line(i)}`));
    if (items.length > LISTED) lines.push(`  … and ${items.length - LISTED} more`);
  };
  section('Missing from the bucket', r.missing, (m) => `${m.key}  (${formatBytes(m.size)})`);
  section(
    'Size differs',
    r.sizeMismatch,
    (m) => `${m.key}  (store ${formatBytes(m.expected)}, bucket ${formatBytes(m.actual)})`,
  );
  section(
    'In the bucket, but no OneDrive item maps to them',
    r.unmapped,
    (u) => `${u.key}  (${formatBytes(u.size)})`,
  );
  lines.push(
    r.equal
      ? 'The bucket matches the state store.'
      : `${plural(r.differences, 'difference')}. \`cloud-sync verify --repair\` re-transfers what is missing or wrong (unmapped objects are only reported).`,
  );
  return `${lines.join('\n')}\n`;
}

export const verifyCommand = createVerifyCommand();
