/**
 * The logger autoarr-llm writes to. Its shape is pino's (`logger.warn({ plugin }, 'message')`), so a
 * pino logger fits as it is; `console`-style loggers fit through `createConsoleLogger`.
 */
export interface LogFn {
  (fields: Record<string, unknown>, message?: string): void;
  (message: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
