import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The credentials were missing, malformed or refused (HTTP 401). */
export class AuthenticationError extends LLMError {
  static readonly code = 'AUTHENTICATION_FAILED';
  static override readonly isInstance = isInstanceByCode<AuthenticationError>(AuthenticationError.code);
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(AuthenticationError.code, message, { retryable: false, ...options });
    this.name = 'AuthenticationError';
  }
}
