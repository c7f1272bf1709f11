import type { Config } from './types.js';

/** Every secret a config holds: the composition roots hand these to the redactor. */
export function secretsOf(config: Config): string[] {
  return [
    config.onedrive.clientSecret,
    config.aws.secretAccessKey,
    config.mail?.apiKey,
    config.mail?.smtpUrl,
  ].filter((s): s is string => typeof s === 'string');
}
