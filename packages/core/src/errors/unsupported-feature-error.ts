import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The provider or model lacks a capability the call asked for (tools, vision, JSON schema, …). */
export class UnsupportedFeatureError extends LLMError {
  static readonly code = 'UNSUPPORTED_FEATURE';
  static override readonly isInstance = isInstanceByCode<UnsupportedFeatureError>(UnsupportedFeatureError.code);
  readonly feature: string;
  constructor(feature: string, message: string, options: LLMErrorOptions = {}) {
    super(UnsupportedFeatureError.code, message, { retryable: false, ...options });
    this.name = 'UnsupportedFeatureError';
    this.feature = feature;
  }
}
