import { existsSync } from 'node:fs';
import type { Command } from '../command.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'last rounds, counts, errors and authorization state',
  usage: 'status [--json]',
  options: { json: { type: 'boolean', description: 'print machine-readable JSON' } },
  async run(ctx, values) {
    const { config } = ctx.loadConfig();
    const authorized = existsSync(config.onedrive.tokensPath);
    const status = {
      config: config.file,
      bucket: config.aws.bucket,
      prefix: config.aws.prefix,
      auth: authorized ? 'authorized' : 'not-authorized',
      rounds: [] as unknown[],
    };
    if (values.json) {
      ctx.io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    } else {
      ctx.io.stdout.write(
        [
          `config:  ${status.config}`,
          `bucket:  s3://${status.bucket}/${status.prefix}`,
          `auth:    ${authorized ? 'authorized' : 'not authorized — run `cloud-sync authorize`'}`,
          `rounds:  none yet`,
        ].join('\n') + '\n',
      );
    }
    return 0;
  },
};
