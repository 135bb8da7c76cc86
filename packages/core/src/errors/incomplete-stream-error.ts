import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';
import type { ToolCall } from '../contract/response.js';

/**
 * A stream failed after it had started delivering: the text received so far is kept in
 * `partialText`. Never retried or re-routed automatically (the caller has already shown chunks).
 */
export class IncompleteStreamError extends LLMError {
  static readonly code = 'INCOMPLETE_STREAM';
  static override readonly isInstance = isInstanceByCode<IncompleteStreamError>(IncompleteStreamError.code);
  readonly partialText: string;
  readonly partialToolCalls: ToolCall[];
  constructor(
    message: string,
    options: LLMErrorOptions & { partialText: string; partialToolCalls?: ToolCall[] },
  ) {
    super(IncompleteStreamError.code, message, { retryable: false, ...options });
    this.name = 'IncompleteStreamError';
    this.partialText = options.partialText;
    this.partialToolCalls = options.partialToolCalls ?? [];
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), partialText: this.partialText };
  }
}
