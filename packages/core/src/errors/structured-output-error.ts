import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/**
 * The model answered a call that asked for structured output (`responseFormat: { type: 'json' }`)
 * with text that is not valid JSON or does not match the schema's top level. The backend worked:
 * this is not an outage. The same request would most likely get the same answer, so it is not
 * retried, does not count toward the circuit breaker and does not move down the chain; the answer
 * is kept whole in `rawText` so the caller can show it, repair it or ask again differently.
 */
export class StructuredOutputError extends LLMError {
  static readonly code = 'STRUCTURED_OUTPUT_INVALID';
  static override readonly isInstance = isInstanceByCode<StructuredOutputError>(StructuredOutputError.code);
  /** The model's answer, unchanged. */
  readonly rawText: string;
  /** The model that answered, when known. */
  readonly model: string | undefined;
  constructor(message: string, options: LLMErrorOptions & { rawText: string; model?: string | undefined }) {
    super(StructuredOutputError.code, message, { ...options, retryable: false });
    this.name = 'StructuredOutputError';
    this.rawText = options.rawText;
    this.model = options.model;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...(this.model !== undefined ? { model: this.model } : {}), rawText: this.rawText };
  }
}
