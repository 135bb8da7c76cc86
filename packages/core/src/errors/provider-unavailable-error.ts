import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The provider cannot be reached or is not configured (daemon down, no API key, connection refused). */
export class ProviderUnavailableError extends LLMError {
  static readonly code = 'PROVIDER_UNAVAILABLE';
  static override readonly isInstance = isInstanceByCode<ProviderUnavailableError>(ProviderUnavailableError.code);
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(ProviderUnavailableError.code, message, { retryable: true, ...options });
    this.name = 'ProviderUnavailableError';
  }
}
