import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** A local model is still loading (cold start): not an outage, try again shortly or use the next provider meanwhile. */
export class ModelLoadingError extends LLMError {
  static readonly code = 'MODEL_LOADING';
  static override readonly isInstance = isInstanceByCode<ModelLoadingError>(ModelLoadingError.code);
  readonly model: string;
  constructor(model: string, message?: string, options: LLMErrorOptions = {}) {
    super(ModelLoadingError.code, message ?? `Model "${model}" is still loading`, { retryable: true, ...options });
    this.name = 'ModelLoadingError';
    this.model = model;
  }
}
