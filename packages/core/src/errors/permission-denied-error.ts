import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The credentials are valid but not allowed to do this (HTTP 403). */
export class PermissionDeniedError extends LLMError {
  static readonly code = 'PERMISSION_DENIED';
  static override readonly isInstance = isInstanceByCode<PermissionDeniedError>(PermissionDeniedError.code);
  constructor(message: string, options: LLMErrorOptions = {}) {
    super(PermissionDeniedError.code, message, { retryable: false, ...options });
    this.name = 'PermissionDeniedError';
  }
}
