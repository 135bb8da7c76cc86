import { LLMError } from '../errors/llm-error.js';

/**
 * Errors that mean "this request is wrong", "the caller stopped" or "the model answered, but not
 * in the asked-for shape" (the caller gets that answer rather than a chain exhausted on a working
 * backend): no other provider is tried.
 */
const FINAL_CODES = new Set(['ABORTED', 'INCOMPLETE_STREAM', 'INVALID_REQUEST', 'CONFIG_INVALID', 'STRUCTURED_OUTPUT_INVALID']);

/**
 * Whether the chain should try its next provider after `error`. Decided from the error's code,
 * never its message. Everything provider-specific (unavailable, auth, quota, rate limit, overload,
 * server errors, timeouts, a missing model, a feature this provider lacks) moves on.
 */
export function shouldFallBack(error: unknown): boolean {
  if (!LLMError.isInstance(error)) return true;
  return !FINAL_CODES.has(error.code);
}
