/** One attempt on one provider, as the pipeline saw it. */
export interface AttemptRecord {
  provider: string;
  attempt: number;
  outcome: 'success' | 'error' | 'skipped';
  errorCode?: string | undefined;
  durationMs: number;
  /** Why it was skipped or retried (circuit open, retry-after too long, …). */
  note?: string | undefined;
}

/**
 * What the pipeline knows about a call in progress. The options object the pipeline forwards is
 * handed unchanged through the chain to each member, so it carries the context (under a symbol
 * only core can name) without widening the provider contract.
 */
export interface CallContext {
  /** `performance.now()` value at which the call's overall deadline passes. */
  deadlineAt: number;
  attempts: AttemptRecord[];
}

export const CALL_CONTEXT: unique symbol = Symbol('autoarr-llm.callContext');

interface WithContext {
  [CALL_CONTEXT]?: CallContext | undefined;
}

export function attachCallContext(options: object, context: CallContext): void {
  (options as WithContext)[CALL_CONTEXT] = context;
}

export function callContextOf(options: object | undefined): CallContext | undefined {
  return options ? (options as WithContext)[CALL_CONTEXT] : undefined;
}

/** Milliseconds left before the call's deadline (Infinity without one). */
export function remainingMs(options: object | undefined): number {
  const ctx = callContextOf(options);
  return ctx ? ctx.deadlineAt - performance.now() : Number.POSITIVE_INFINITY;
}
