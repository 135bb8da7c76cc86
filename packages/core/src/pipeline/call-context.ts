import type { LLMResponse } from '../contract/response.js';
import type { CallAbort, CallAbortScope } from './call-abort-scope.js';

/** One attempt on one provider, as the pipeline saw it. */
export interface AttemptRecord {
  provider: string;
  attempt: number;
  outcome: 'success' | 'error' | 'skipped';
  errorCode?: string | undefined;
  durationMs: number;
  /** Epoch milliseconds at which the attempt started. */
  startedAt?: number | undefined;
  /** How long the pipeline waited after this attempt before the next one (backoff, `retry-after`). */
  waitMs?: number | undefined;
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
  /** The call's cancellation (its AbortSignal is built only when asked for). */
  scope?: CallAbortScope | undefined;
  /**
   * For a stream whose consumer calls them (the pipeline's own stream sets this to null): the
   * member that started hands `next` straight through to the provider from then on, and leaves
   * here what it would otherwise do on every step.
   */
  streamHooks?: StreamHooks | null | undefined;
}

/** What a started stream's member needs to see, called by the stream that consumes it. */
export interface StreamHooks {
  /** Every chunk (refreshes the idle deadline). */
  onChunk(): void;
  /** The provider's iterator finished; `response` undefined means it never said it was done. */
  onDone(response: LLMResponse | undefined): void;
  /** The provider's iterator threw: the typed, translated error. */
  mapError(error: unknown): unknown;
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

/** The call's cancellation as the options carry it: their signal, else the pipeline call's scope. */
export function callAbortOf(options: object | undefined): CallAbort | undefined {
  return (options as { signal?: AbortSignal | undefined } | undefined)?.signal ?? callContextOf(options)?.scope;
}

/** Whether the call the options belong to has been cancelled (its signal or its pipeline scope). */
export function isCallAborted(options: object | undefined): boolean {
  return callAbortOf(options)?.aborted === true;
}

/** Milliseconds left before the call's deadline (Infinity without one). */
export function remainingMs(options: object | undefined): number {
  const ctx = callContextOf(options);
  return ctx ? ctx.deadlineAt - performance.now() : Number.POSITIVE_INFINITY;
}
