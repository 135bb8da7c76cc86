import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/**
 * Too many requests (HTTP 429) where waiting helps. `retryAfterMs` comes from `retry-after` or the
 * provider's rate-limit headers. An exhausted quota is a `QuotaExhaustedError` instead: waiting a
 * few seconds does not help there.
 */
export class RateLimitError extends LLMError {
  static readonly code = 'RATE_LIMITED';
  static override readonly isInstance = isInstanceByCode<RateLimitError>(RateLimitError.code);
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: LLMErrorOptions & { retryAfterMs?: number | undefined } = {}) {
    super(RateLimitError.code, message, { retryable: true, status: 429, ...options });
    this.name = 'RateLimitError';
    this.retryAfterMs = options.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}
