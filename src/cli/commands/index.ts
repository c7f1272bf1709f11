import type { Command } from '../command.js';
import { statusCommand } from './status.js';

/** Every command the CLI knows, in the order --help lists them. */
export const COMMANDS: Command[] = [statusCommand];
