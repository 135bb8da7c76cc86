import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The request itself is wrong (bad parameters, unsupported media, HTTP 400/413/422). Retrying will not help. */
export class InvalidRequestError extends LLMError {
  static readonly code = 'INVALID_REQUEST';
  static override readonly isInstance = isInstanceByCode<InvalidRequestError>(InvalidRequestError.code);
  /** The offending field or parameter, when known. */
  readonly field: string | undefined;
  constructor(message: string, options: LLMErrorOptions & { field?: string | undefined } = {}) {
    super(InvalidRequestError.code, message, { retryable: false, ...options });
    this.name = 'InvalidRequestError';
    this.field = options.field;
  }
}
