import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** A provider failure that fits no more specific class (the original error is the `cause`). */
export class ProviderError extends LLMError {
  static readonly code = 'PROVIDER_ERROR';
  static override readonly isInstance = isInstanceByCode<ProviderError>(ProviderError.code);
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(ProviderError.code, message, { retryable: false, ...options });
    this.name = 'ProviderError';
  }
}
