import type { Command } from '../command.js';
import { authorizeCommand } from './authorize.js';
import { statusCommand } from './status.js';

/** Every command the CLI knows, in the order --help lists them. */
export const COMMANDS: Command[] = [authorizeCommand, statusCommand];
