import type { Config } from '../../core/config/index.js';
import {
  estimateCost,
  formatEstimate,
  planCostInput,
  resolvePrices,
} from '../../core/cost/index.js';
import type { Logger } from '../../core/log/logger.js';
import { StateStore } from '../../core/store/index.js';
import { SyncEngine } from '../../core/sync/engine.js';
import type { DryRunReport } from '../../core/sync/preview.js';
import { formatBytes } from '../../shared/format.js';
import { EXIT, type CliContext, type Command } from '../command.js';
import { defaultDeps, type CliDeps } from '../deps.js';
import { formatSummary, progressPrinter } from '../progress.js';

/** Actions listed by a dry run before "… and N more". */
const DRY_RUN_LIST = 200;

export function createSyncCommand(deps: CliDeps = defaultDeps): Command {
  return {
    name: 'sync',
    summary: 'run one backup round now',
    usage: 'sync [--full] [--dry-run] [--allow-mass-delete]',
    options: {
      full: {
        type: 'boolean',
        description: 're-enumerate the whole drive (unchanged files are not uploaded again)',
      },
      'dry-run': {
        type: 'boolean',
        description: 'show what would be uploaded, copied or deleted; change nothing',
      },
      'allow-mass-delete': {
        type: 'boolean',
        description: 'let a round delete more than max_delete / max_delete_share',
      },
    },
    async run(ctx, values) {
      const { config } = ctx.loadConfig();
      const logger = await ctx.logger(config);
      const tokens = deps.createTokenProvider(config, logger);
      // Authorization first: without it nothing below can work, and exit 2 says so at once.
      await tokens.getAccessToken(ctx.io.signal);
      const dryRun = values['dry-run'] === true;
      const statePath = config.general.statePath;
      // A dry run must not even create the store: plan into a throwaway one if there is none.
      const store = dryRun
        ? (StateStore.openExisting(statePath) ?? StateStore.open(':memory:'))
        : StateStore.open(statePath);
      try {
        return await runWith(ctx, deps, config, logger, store, tokens, values);
      } finally {
        store.close();
      }
    },
  };
}

async function runWith(
  ctx: CliContext,
  deps: CliDeps,
  config: Config,
  logger: Logger,
  store: StateStore,
  tokens: ReturnType<CliDeps['createTokenProvider']>,
  values: Record<string, string | boolean | string[] | undefined>,
): Promise<number> {
  // The pacers exist before the engine; their Retry-After pauses reach it through this relay.
  const relay: { engine?: SyncEngine } = {};
  const throttled = (service: 'graph' | 's3') => (ms: number) =>
    relay.engine?.notifyThrottled(service, ms);
  const engine = new SyncEngine({
    config,
    store,
    source: deps.createSource(config, tokens, { logger, onThrottle: throttled('graph') }),
    target: deps.createTarget(config, { logger, onThrottle: throttled('s3') }),
    logger,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  relay.engine = engine;
  const printer = progressPrinter(ctx.io);
  const off = engine.on(printer.listener);
  const full = values.full === true;
  const signal = ctx.io.signal;
  try {
    if (values['dry-run'] === true) {
      // Prices first: a bad [pricing] override is a config error (exit 2) before any work.
      const prices = resolvePrices(config.extra.pricing);
      const report = await engine.preview({ full, signal });
      printer.stop();
      const estimate = estimateCost(planCostInput(report.actions, config.aws), prices);
      ctx.io.stdout.write(
        formatPlan(report) + formatSummary(report.summary) + formatEstimate(estimate),
      );
      return report.summary.failed > 0 ? EXIT.partial : EXIT.ok;
    }
    const summary = await engine.runRound({
      full,
      allowMassDelete: values['allow-mass-delete'] === true,
      signal,
    });
    printer.stop();
    ctx.io.stdout.write(formatSummary(summary));
    if (summary.result === 'ok') return EXIT.ok;
    return EXIT.partial;
  } finally {
    printer.stop();
    off();
  }
}

function formatPlan(report: DryRunReport): string {
  const lines = report.actions.slice(0, DRY_RUN_LIST).map((a) => {
    const what = a.retire ? `${a.action} (old key)` : a.action;
    const detail = a.fromKey ? `${a.fromKey} -> ${a.key}` : a.key;
    return `  ${what.padEnd(16)} ${detail}${a.bytes ? `  ${formatBytes(a.bytes)}` : ''}`;
  });
  if (report.actions.length > DRY_RUN_LIST) {
    lines.push(`  … and ${report.actions.length - DRY_RUN_LIST} more`);
  }
  return lines.length ? `Would do:\n${lines.join('\n')}\n` : 'Nothing to do.\n';
}

export const syncCommand = createSyncCommand();
