import { dirname } from 'node:path';
import { mkdirSync } from 'node:fs';
import { redactor, type Redactor } from './redact.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** What the engine logs through; the composition root decides where lines go. */
export interface Logger {
  error(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  debug(message: string, ...details: unknown[]): void;
}

/** The subset of electron-log's logger we use; its node and main entries both fit. */
export interface ElectronLogLike {
  transports: {
    file: {
      level: LogLevel | false;
      maxSize: number;
      resolvePathFn: () => string;
      getFile(): { path: string };
    };
    console: { level: LogLevel | false };
  };
  hooks: Array<(message: { data: unknown[] }, transport?: unknown) => { data: unknown[] } | false>;
  error(...params: unknown[]): void;
  warn(...params: unknown[]): void;
  info(...params: unknown[]): void;
  debug(...params: unknown[]): void;
}

export interface LoggerOptions {
  /** Where the log file goes; undefined keeps electron-log's platform default. */
  logPath?: string | undefined;
  level?: LogLevel;
  /** Log to stderr too (headless use). */
  console?: boolean;
  /** Rotate when the file passes this many bytes (electron-log keeps one `.old` file). */
  maxBytes?: number;
  redactor?: Redactor;
}

/** Wires an electron-log instance: file location, size rotation, and redaction of every line. */
export function createLogger(log: ElectronLogLike, options: LoggerOptions = {}): Logger {
  const r = options.redactor ?? redactor;
  if (options.logPath) {
    const path = options.logPath;
    mkdirSync(dirname(path), { recursive: true });
    log.transports.file.resolvePathFn = () => path;
  }
  log.transports.file.level = options.level ?? 'info';
  log.transports.file.maxSize = options.maxBytes ?? 10 * 1024 * 1024;
  log.transports.console.level = options.console === false ? false : (options.level ?? 'info');
  log.hooks.push((message) => {
    message.data = message.data.map((d) => r.redactValue(d));
    return message;
  });
  return {
    error: (m, ...d) => log.error(m, ...d),
    warn: (m, ...d) => log.warn(m, ...d),
    info: (m, ...d) => log.info(m, ...d),
    debug: (m, ...d) => log.debug(m, ...d),
  };
}

/** Headless logger from electron-log's node entry (never `initialize()` outside Electron). */
export async function createNodeLogger(options: LoggerOptions = {}): Promise<Logger> {
  const { default: log } = await import('electron-log/node');
  return createLogger(log as unknown as ElectronLogLike, options);
}

/** For tests and library use: collects lines in memory, redacted like the real thing. */
export function memoryLogger(r: Redactor = redactor): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push =
    (level: string) =>
    (m: string, ...d: unknown[]) => {
      lines.push(
        r.redact(
          `${level} ${m}${d.length ? ' ' + d.map((x) => (typeof x === 'string' ? x : JSON.stringify(r.redactValue(x instanceof Error ? { message: x.message } : x)))).join(' ') : ''}`,
        ),
      );
    };
  return {
    lines,
    error: push('error'),
    warn: push('warn'),
    info: push('info'),
    debug: push('debug'),
  };
}

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
