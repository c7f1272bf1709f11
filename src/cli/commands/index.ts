import type { Command } from '../command.js';
import { authorizeCommand } from './authorize.js';
import { lifecycleCommand } from './lifecycle.js';
import { restoreCommand } from './restore.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';
import { daemonCommand } from './daemon.js';
import { verifyCommand } from './verify.js';

/** Every command the CLI knows, in the order --help lists them. */
export const COMMANDS: Command[] = [
  syncCommand,
  daemonCommand,
  authorizeCommand,
  statusCommand,
  verifyCommand,
  restoreCommand,
  lifecycleCommand,
];
