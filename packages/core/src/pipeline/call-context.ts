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
 * What the pipeline knows about a call in progress, found from the call's AbortSignal: the signal
 * is the one thing every layer (chain, resilient member, provider) is handed, so it carries the
 * call's deadline and collects its attempts without widening the provider contract.
 */
export interface CallContext {
  /** `performance.now()` value at which the call's overall deadline passes. */
  deadlineAt: number;
  attempts: AttemptRecord[];
}

const contexts = new WeakMap<AbortSignal, CallContext>();

export function attachCallContext(signal: AbortSignal, context: CallContext): void {
  contexts.set(signal, context);
}

export function callContextOf(signal: AbortSignal | undefined): CallContext | undefined {
  return signal ? contexts.get(signal) : undefined;
}

/** Milliseconds left before the call's deadline (Infinity without one). */
export function remainingMs(signal: AbortSignal | undefined): number {
  const ctx = callContextOf(signal);
  return ctx ? ctx.deadlineAt - performance.now() : Number.POSITIVE_INFINITY;
}
