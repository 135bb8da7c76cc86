import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The backend answered with something that is not its documented wire format. */
export class MalformedResponseError extends LLMError {
  static readonly code = 'MALFORMED_RESPONSE';
  static override readonly isInstance = isInstanceByCode<MalformedResponseError>(MalformedResponseError.code);
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(MalformedResponseError.code, message, { retryable: true, ...options });
    this.name = 'MalformedResponseError';
  }
}
