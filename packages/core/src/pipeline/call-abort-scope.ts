/**
 * A call's cancellation without an AbortSignal of its own until someone needs one. Creating an
 * AbortSignal costs several microseconds and a kilobyte on Node 20; a streamed call through the
 * pipeline only needs the one its attempt hands the provider, so the call-level scope is a plain
 * list of subscribers, and `signal` is built on first use (a rate-limit wait, a backoff sleep, a
 * chain member that is not a pipeline layer).
 */
export interface CallAbortScope {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** An AbortSignal that follows this scope (created on first use). */
  readonly signal: AbortSignal;
  /** Calls `listener` once when the scope is aborted. */
  subscribe(listener: (reason: unknown) => void): void;
  unsubscribe(listener: (reason: unknown) => void): void;
}

/** What a pipeline layer can be handed as its call's cancellation. */
export type CallAbort = AbortSignal | CallAbortScope;

/** A real AbortSignal for `abort` (the scope's, built on demand). */
export function toSignal(abort: CallAbort): AbortSignal {
  return abort instanceof AbortSignal ? abort : abort.signal;
}

/** Runs `listener` once when `abort` fires; returns the function that removes it. */
export function onAbort(abort: CallAbort, listener: (reason: unknown) => void): () => void {
  if (abort instanceof AbortSignal) {
    const handler = () => listener(abort.reason);
    abort.addEventListener('abort', handler, { once: true });
    return () => abort.removeEventListener('abort', handler);
  }
  abort.subscribe(listener);
  return () => abort.unsubscribe(listener);
}

/** Marks a pipeline layer whose `streamEvents` takes a `CallAbort` (a signal or a scope). */
export const ACCEPTS_CALL_SCOPE: unique symbol = Symbol('autoarr-llm.acceptsCallScope');

export function acceptsCallScope(provider: object): boolean {
  return (provider as { [ACCEPTS_CALL_SCOPE]?: boolean })[ACCEPTS_CALL_SCOPE] === true;
}
