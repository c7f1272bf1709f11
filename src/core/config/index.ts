export * from './types.js';
export {
  loadConfig,
  resolveConfigFile,
  validateConfigText,
  CONFIG_FILE_NAME,
  DEFAULT_AUTHORITY,
  DEFAULT_GRAPH_URL,
  DEFAULT_SCOPE,
} from './load.js';
export { parseDuration, parseTimeOfDay } from './duration.js';
export { secretsOf } from './secrets.js';
