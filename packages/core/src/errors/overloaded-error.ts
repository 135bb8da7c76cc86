import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The backend is out of capacity (HTTP 529, or a 429/503 that says so); counts toward the circuit breaker. */
export class OverloadedError extends LLMError {
  static readonly code = 'OVERLOADED';
  static override readonly isInstance = isInstanceByCode<OverloadedError>(OverloadedError.code);
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: LLMErrorOptions & { retryAfterMs?: number | undefined } = {}) {
    super(OverloadedError.code, message, { retryable: true, ...options });
    this.name = 'OverloadedError';
    this.retryAfterMs = options.retryAfterMs;
  }
}
