import { inspect } from 'node:util';
import type { Logger } from '@autoarr-llm/core';

/**
 * A logger that keeps every line (fields rendered in full), so tests can search what a provider
 * logged: for a canary secret, or for the message a failure should have produced.
 */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log =
    (level: string) =>
    (first: Record<string, unknown> | string, message?: string) =>
      void lines.push(`${level} ${typeof first === 'string' ? first : `${inspect(first, { depth: 8, breakLength: Infinity })} ${message ?? ''}`}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } as Logger & { lines: string[] };
}
