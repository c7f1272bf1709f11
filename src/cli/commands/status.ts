import { silentLogger } from '../../core/log/logger.js';
import { createMsalParts } from '../../core/service/parts.js';
import type { RoundSummary } from '../../shared/events.js';
import { formatBytes } from '../../shared/format.js';
import { StateStore } from '../../core/store/index.js';
import type { Command } from '../command.js';

export interface StoreStatus {
  rounds: Array<RoundSummary | { roundId: number; startedAt: string; result: 'running-or-killed' }>;
  pendingActions: number;
  failedItems: Array<{ path: string; message: string }>;
  cursorCommittedAt: string | null;
}

/** Reads what the state store says about past rounds; undefined when there is no store yet. */
export function readStoreStatus(statePath: string, limit = 5): StoreStatus | undefined {
  const store = StateStore.openExisting(statePath);
  if (!store) return undefined;
  try {
    const db = store.db;
    return {
      rounds: store
        .recentRuns(limit)
        .map((r) =>
          r.summary
            ? (JSON.parse(r.summary) as RoundSummary)
            : { roundId: r.id, startedAt: r.started_at, result: 'running-or-killed' as const },
        ),
      pendingActions: Number(db.value('SELECT count(*) FROM actions') ?? 0),
      failedItems: db
        .all<{ path: string | null; name: string | null; error: string | null }>(
          `SELECT path, name, error FROM items WHERE state = 'failed' ORDER BY path LIMIT 20`,
        )
        .map((r) => ({ path: r.path ?? r.name ?? '?', message: r.error ?? '' })),
      cursorCommittedAt:
        db.one<{ committed_at: string | null }>('SELECT committed_at FROM cursor WHERE id = 1')
          ?.committed_at ?? null,
    };
  } finally {
    store.close();
  }
}

function roundLine(r: StoreStatus['rounds'][number]): string {
  if (!('finishedAt' in r))
    return `  #${r.roundId} ${r.startedAt}  did not finish (stopped or killed)`;
  const parts = [
    `${r.uploaded} uploaded (${formatBytes(r.bytesUploaded)})`,
    r.copied ? `${r.copied} copied` : '',
    r.metadataRewritten ? `${r.metadataRewritten} metadata` : '',
    r.adopted ? `${r.adopted} adopted` : '',
    r.deleted ? `${r.deleted} deleted` : '',
    r.trashed ? `${r.trashed} trashed` : '',
    r.failed ? `${r.failed} failed` : '',
  ].filter(Boolean);
  return `  #${r.roundId} ${r.finishedAt}  ${r.result}${r.full ? ' (full)' : ''}: ${parts.join(', ')}`;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'last rounds, counts, errors and authorization state',
  usage: 'status [--json]',
  options: { json: { type: 'boolean', description: 'print machine-readable JSON' } },
  async run(ctx, values) {
    const { config } = ctx.loadConfig();
    // What the tokens file holds, read without a network request: a file that exists but holds
    // no usable account (corrupt, sealed with another key) is not "authorized".
    const { app, tokens } = createMsalParts(config, silentLogger);
    const auth = await tokens.refreshState();
    const authProblem = app.cache.problem?.message;
    const authorized = auth === 'authorized';
    const store = readStoreStatus(config.general.statePath);
    const status = {
      config: config.file,
      bucket: config.aws.bucket,
      prefix: config.aws.prefix,
      auth,
      ...(authProblem ? { authProblem } : {}),
      account: authorized ? await tokens.account() : undefined,
      statePath: config.general.statePath,
      rounds: store?.rounds ?? [],
      pendingActions: store?.pendingActions ?? 0,
      failedItems: store?.failedItems ?? [],
      cursorCommittedAt: store?.cursorCommittedAt ?? null,
    };
    if (values.json) {
      ctx.io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `config:  ${status.config}`,
      `bucket:  s3://${status.bucket}/${status.prefix}`,
      `auth:    ${authorized ? `authorized (${status.account ?? 'OneDrive'})` : `${auth.replace('-', ' ')} — run \`cloud-sync authorize\`${authProblem ? ` (${authProblem})` : ''}`}`,
    ];
    if (!store) {
      lines.push('rounds:  none yet');
    } else {
      lines.push(
        status.rounds.length ? 'rounds:' : 'rounds:  none yet',
        ...status.rounds.map(roundLine),
      );
      if (status.pendingActions)
        lines.push(`queued:  ${status.pendingActions} action(s) left for the next round`);
      if (status.failedItems.length) {
        lines.push('failing:', ...status.failedItems.map((f) => `  ${f.path}: ${f.message}`));
      }
    }
    ctx.io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
