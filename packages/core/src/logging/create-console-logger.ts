import { inspect } from 'node:util';
import type { LogFn, Logger, LogLevel } from './logger.js';
import { redactSecrets } from '../secret/redact-secrets.js';

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface ConsoleLoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so that program output on stdout stays clean. */
  write?: (line: string) => void;
}

/** A small line logger on stderr, secrets scrubbed. The default when no logger is given. */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? 'warn'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const make = (level: Exclude<LogLevel, 'silent'>): LogFn =>
    ((first: Record<string, unknown> | string, message?: string) => {
      if (LEVELS[level] < threshold) return;
      const text =
        typeof first === 'string'
          ? first
          : `${message ?? ''}${Object.keys(first).length > 0 ? ` ${inspect(first, { depth: 4, breakLength: Infinity })}` : ''}`;
      write(redactSecrets(`[autoarr-llm] ${level}: ${text}`));
    }) as LogFn;
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createConsoleLogger({ level: 'silent' });
