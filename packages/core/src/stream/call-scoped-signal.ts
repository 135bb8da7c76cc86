// Signals core creates for one call or one attempt, which end with it. A provider handing a signal
// to an SDK that keeps a listener on it until the response body is collected (the Anthropic SDK
// when the body is read directly) can hand these on as they are; any other signal (a caller's, which
// may live for a whole session) it should link to a controller of its own, so listeners do not pile up.
// The mark is a property under a symbol only core can name, not a WeakSet entry: a WeakSet that
// sees a signal per call keeps a table the size of every signal since the last full collection
// (measured: heap growing by 5% over 100k calls, flat with the property).
const CALL_SCOPED: unique symbol = Symbol('autoarr-llm.callScoped');

/** Marks a signal that is aborted or dropped when its call or attempt ends. */
export function markCallScoped(signal: AbortSignal): AbortSignal {
  (signal as AbortSignal & { [CALL_SCOPED]?: true })[CALL_SCOPED] = true;
  return signal;
}

/** Whether core created `signal` for a single call or attempt (see `markCallScoped`). */
export function isCallScoped(signal: AbortSignal): boolean {
  return (signal as AbortSignal & { [CALL_SCOPED]?: true })[CALL_SCOPED] === true;
}
