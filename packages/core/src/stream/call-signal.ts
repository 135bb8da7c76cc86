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
  // Classes rather than closures: this runs for every call, and four closures per call add up.
  if (timeoutMs === undefined && callerSignal) return new PassThroughSignal(provider, callerSignal);
  return new OwnCallSignal(provider, callerSignal, timeoutMs);
}

/** What both kinds share: the typed error for the call's state, and what follows from it. */
abstract class TypedCallSignal implements CallSignal {
  abstract readonly signal: AbortSignal;
  abstract dispose(): void;
  /** The typed error for this call's state, undefined while it is not aborted. */
  protected abstract typedError(): LLMError | undefined;

  translate(error: unknown): unknown {
    // An error that already is the typed answer (an IncompleteStreamError, a cold model still
    // loading when the deadline fired) keeps its meaning.
    if (LLMError.isInstance(error) && PRESERVED.has(error.code)) return error;
    return this.typedError() ?? error;
  }

  throwIfAborted(): void {
    const err = this.typedError();
    if (err) throw err;
  }
}

class OwnCallSignal extends TypedCallSignal {
  readonly #controller = new AbortController();
  readonly #provider: string;
  readonly #caller: AbortSignal | undefined;
  readonly #timeoutMs: number | undefined;
  #timedOut = false;
  #timer: NodeJS.Timeout | undefined;
  #onCallerAbort: (() => void) | undefined;

  constructor(provider: string, caller: AbortSignal | undefined, timeoutMs: number | undefined) {
    super();
    this.#provider = provider;
    this.#caller = caller;
    this.#timeoutMs = timeoutMs;
    const controller = this.#controller;
    markCallScoped(controller.signal);
    if (caller) {
      if (caller.aborted) controller.abort(caller.reason);
      else {
        this.#onCallerAbort = () => controller.abort(caller.reason);
        caller.addEventListener('abort', this.#onCallerAbort, { once: true });
      }
    }
    if (timeoutMs !== undefined && !controller.signal.aborted) {
      this.#timer = setTimeout(() => {
        this.#timedOut = true;
        controller.abort(this.#timeoutError());
      }, timeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#onCallerAbort) this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  protected typedError(): LLMError | undefined {
    if (this.#timedOut) return this.#timeoutError();
    if (this.#caller?.aborted) return new AbortedError(`${this.#provider}: the call was aborted`, { provider: this.#provider, cause: this.#caller.reason });
    return undefined;
  }

  #timeoutError(): TimeoutError {
    const provider = this.#provider;
    return new TimeoutError(`${provider}: no complete answer within ${this.#timeoutMs} ms`, { provider, phase: 'total', timeoutMs: this.#timeoutMs as number });
  }
}

class PassThroughSignal extends TypedCallSignal {
  readonly signal: AbortSignal;
  readonly #provider: string;

  constructor(provider: string, caller: AbortSignal) {
    super();
    this.#provider = provider;
    this.signal = caller;
  }

  dispose(): void {}

  protected typedError(): LLMError | undefined {
    const caller = this.signal;
    return caller.aborted ? new AbortedError(`${this.#provider}: the call was aborted`, { provider: this.#provider, cause: caller.reason }) : undefined;
  }
}
