import { isInstanceByCode, LLMError, type LLMErrorOptions } from './llm-error.js';

/** Which deadline ran out. */
export type TimeoutPhase = 'total' | 'attempt' | 'connect' | 'first-chunk' | 'idle' | 'model-load';

/** A deadline ran out before the backend answered (or, for `idle`, between two stream chunks). */
export class TimeoutError extends LLMError {
  static readonly code = 'TIMEOUT';
  static override readonly isInstance = isInstanceByCode<TimeoutError>(TimeoutError.code);
  readonly phase: TimeoutPhase;
  readonly timeoutMs: number | undefined;
  constructor(
    message: string,
    options: LLMErrorOptions & { phase?: TimeoutPhase; timeoutMs?: number | undefined } = {},
  ) {
    super(TimeoutError.code, message, { retryable: true, ...options });
    this.name = 'TimeoutError';
    this.phase = options.phase ?? 'total';
    this.timeoutMs = options.timeoutMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), phase: this.phase, timeoutMs: this.timeoutMs };
  }
}
