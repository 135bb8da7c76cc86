import { LLMError, redactSecrets } from '@autoarr-llm/core';
import { CliError } from './cli-error.js';

/** One error as a user reads it (message, code), and as scripts read it (`--json`). */
export function describeError(error: unknown): { text: string; json: { error: Record<string, unknown> } } {
  if (LLMError.isInstance(error)) {
    return { text: `error [${error.code}]: ${error.message}`, json: { error: error.toJSON() } };
  }
  // Our own messages are built from user input and config, which may hold a key: scrub them too.
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  if (error instanceof CliError) return { text: `error: ${message}`, json: { error: { code: error.code, message } } };
  return { text: `error: ${message}`, json: { error: { code: 'UNEXPECTED', message } } };
}
