import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The account's quota or credit is used up: skip to the next provider now, do not wait and retry. */
export class QuotaExhaustedError extends LLMError {
  static readonly code = 'QUOTA_EXHAUSTED';
  static override readonly isInstance = isInstanceByCode<QuotaExhaustedError>(QuotaExhaustedError.code);
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(QuotaExhaustedError.code, message, { retryable: false, ...options });
    this.name = 'QuotaExhaustedError';
  }
}
