import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The backend failed (HTTP 5xx). */
export class ServerError extends LLMError {
  static readonly code = 'SERVER_ERROR';
  static override readonly isInstance = isInstanceByCode<ServerError>(ServerError.code);
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(ServerError.code, message, { retryable: true, ...options });
    this.name = 'ServerError';
  }
}
