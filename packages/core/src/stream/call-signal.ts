import { AbortedError } from '../errors/aborted-error.js';
import { LLMError } from '../errors/llm-error.js';
import { TimeoutError } from '../errors/timeout-error.js';
import { markCallScoped } from './call-scoped-signal.js';

/**
 * One call's cancellation: the caller's signal plus the call's own deadline, merged into the signal
 * handed to the backend. `translate` turns whatever the backend threw after an abort into the typed
 * error that says why (the caller aborted, or the deadline passed).
 */
export interface CallSignal {
  readonly signal: AbortSignal;
  /** The typed error for this call's state, or `error` unchanged when the call was not aborted. */
  translate(error: unknown): unknown;
  /** Throws the typed error at once when the call is already aborted. */
  throwIfAborted(): void;
  /** Clears the deadline timer. */
  dispose(): void;
}

const PRESERVED = new Set(['INCOMPLETE_STREAM', 'ABORTED', 'TIMEOUT', 'MODEL_LOADING']);

export function openCallSignal(provider: string, callerSignal?: AbortSignal, timeoutMs?: number): CallSignal {
  // Without a deadline of its own the call needs no controller: the caller's signal is handed on
  // as it is (AbortController creation is a measurable share of a call's overhead). Without one, a
  // fresh controller still gives each call its own signal: a shared one would collect listeners.
  if (timeoutMs === undefined && callerSignal) return passThrough(provider, callerSignal);
  const controller = new AbortController();
  markCallScoped(controller.signal);
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal) {
    if (callerSignal.aborted) controller.abort(callerSignal.reason);
    else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  }
  if (timeoutMs !== undefined && !controller.signal.aborted) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new TimeoutError(`${provider}: no complete answer within ${timeoutMs} ms`, { provider, phase: 'total', timeoutMs }));
    }, timeoutMs);
  }

  const typedError = (): LLMError | undefined => {
    if (timedOut) return new TimeoutError(`${provider}: no complete answer within ${timeoutMs} ms`, { provider, phase: 'total', timeoutMs });
    if (callerSignal?.aborted) return new AbortedError(`${provider}: the call was aborted`, { provider, cause: callerSignal.reason });
    return undefined;
  };

  return {
    signal: controller.signal,
    translate(error) {
      // An error that already is the typed answer (an IncompleteStreamError, a cold model still
      // loading when the deadline fired) keeps its meaning.
      if (LLMError.isInstance(error) && PRESERVED.has(error.code)) {
        return error;
      }
      return typedError() ?? error;
    },
    throwIfAborted() {
      const err = typedError();
      if (err) throw err;
    },
    dispose() {
      if (timer) clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

function passThrough(provider: string, callerSignal: AbortSignal): CallSignal {
  const typedError = (): LLMError | undefined =>
    callerSignal.aborted ? new AbortedError(`${provider}: the call was aborted`, { provider, cause: callerSignal.reason }) : undefined;
  return {
    signal: callerSignal,
    translate(error) {
      if (LLMError.isInstance(error) && PRESERVED.has(error.code)) return error;
      return typedError() ?? error;
    },
    throwIfAborted() {
      const err = typedError();
      if (err) throw err;
    },
    dispose() {},
  };
}
