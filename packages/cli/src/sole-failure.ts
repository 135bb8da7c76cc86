import { LLMError, NoProviderAvailableError } from '@autoarr-llm/core';

/**
 * The error worth showing. A chain of one provider (fallback off, or nothing else installed) that
 * fails reports `NoProviderAvailableError` with that one attempt: its own error (MODEL_NOT_FOUND,
 * AUTHENTICATION, …) says more, and maps to a more precise exit code.
 */
export function soleFailure(error: unknown): unknown {
  if (!NoProviderAvailableError.isInstance(error) || error.attempts.length !== 1) return error;
  const only = error.attempts[0]?.error;
  return LLMError.isInstance(only) ? only : error;
}
