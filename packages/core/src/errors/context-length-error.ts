import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The prompt (plus the requested output) does not fit the model's context window. */
export class ContextLengthError extends LLMError {
  static readonly code = 'CONTEXT_LENGTH_EXCEEDED';
  static override readonly isInstance = isInstanceByCode<ContextLengthError>(ContextLengthError.code);
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(ContextLengthError.code, message, { retryable: false, ...options });
    this.name = 'ContextLengthError';
  }
}
