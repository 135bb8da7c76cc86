import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** The requested model does not exist on this provider (or is not installed locally). */
export class ModelNotFoundError extends LLMError {
  static readonly code = 'MODEL_NOT_FOUND';
  static override readonly isInstance = isInstanceByCode<ModelNotFoundError>(ModelNotFoundError.code);
  readonly model: string;
  constructor(model: string, message?: string, options: LLMErrorOptions = {}) {
    super(ModelNotFoundError.code, message ?? `Model "${model}" was not found`, { retryable: false, ...options });
    this.name = 'ModelNotFoundError';
    this.model = model;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), model: this.model };
  }
}
