// Signals core creates for one call or one attempt, which end with it. A provider handing a signal
// to an SDK that keeps a listener on it until the response body is collected (the Anthropic SDK
// when the body is read directly) can hand these on as they are; any other signal (a caller's, which
// may live for a whole session) it should link to a controller of its own, so listeners do not pile up.
// A WeakSet rather than a property on the signal: adding a property to an AbortSignal costs about
// twice as much as a WeakSet entry on Node 20 (signals are exotic objects), and this runs per call.
const CALL_SCOPED = new WeakSet<AbortSignal>();

/** Marks a signal that is aborted or dropped when its call or attempt ends. */
export function markCallScoped(signal: AbortSignal): AbortSignal {
  CALL_SCOPED.add(signal);
  return signal;
}

/** Whether core created `signal` for a single call or attempt (see `markCallScoped`). */
export function isCallScoped(signal: AbortSignal): boolean {
  return CALL_SCOPED.has(signal);
}
