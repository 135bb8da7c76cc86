import { LLMError, redactSecrets } from '@autoarr-llm/core';

/** One error as a user reads it (message, code), and as scripts read it (`--json`). */
export function describeError(error: unknown): { text: string; json: Record<string, unknown> } {
  if (LLMError.isInstance(error)) {
    return { text: `error [${error.code}]: ${error.message}`, json: { error: error.toJSON() } };
  }
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  return { text: `error: ${message}`, json: { error: { code: 'UNEXPECTED', message } } };
}
