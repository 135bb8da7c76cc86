import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The caller cancelled the call through its AbortSignal. Never retried, never falls back. */
export class AbortedError extends LLMError {
  static readonly code = 'ABORTED';
  static override readonly isInstance = isInstanceByCode<AbortedError>(AbortedError.code);
  constructor(message = 'The call was aborted', options: LLMErrorOptions = {}) {
    super(AbortedError.code, message, { retryable: false, ...options });
    this.name = 'AbortedError';
  }
}
