import { markCallScoped } from '../stream/call-scoped-signal.js';

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

let neverSignal: AbortSignal | undefined;

/**
 * The scope of a call nothing can cancel (no caller signal, no deadline): subscribing costs
 * nothing. Its `signal`, for code that needs one, is one shared signal that never aborts.
 */
export const NEVER_ABORTED: CallAbortScope = Object.freeze({
  aborted: false,
  reason: undefined,
  get signal(): AbortSignal {
    return (neverSignal ??= new AbortController().signal);
  },
  subscribe(): void {},
  unsubscribe(): void {},
});

/**
 * A `CallAbortScope` whose AbortSignal is built on first use (marked call-scoped): the base of a
 * pipeline call and of each attempt.
 */
export class LazyAbortScope implements CallAbortScope {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #subscribers: Array<((reason: unknown) => void) | LazyAbortScope> | undefined;

  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      markCallScoped(controller.signal);
      if (this.#aborted) controller.abort(this.#reason);
      this.#controller = controller;
    }
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  subscribe(listener: (reason: unknown) => void): void {
    this.#add(listener);
  }

  /** Aborts `child` with this scope (an attempt under its call): no listener closure to build. */
  link(child: LazyAbortScope): void {
    this.#add(child);
  }

  #add(entry: ((reason: unknown) => void) | LazyAbortScope): void {
    // A scope has one or two subscribers: a literal holds them, where the first push into an
    // empty array reserves room for seventeen.
    if (this.#subscribers) this.#subscribers.push(entry);
    else this.#subscribers = [entry];
  }

  unlink(child: LazyAbortScope): void {
    this.#remove(child);
  }

  unsubscribe(listener: (reason: unknown) => void): void {
    this.#remove(listener);
  }

  #remove(entry: ((reason: unknown) => void) | LazyAbortScope): void {
    const list = this.#subscribers;
    if (!list) return;
    const i = list.indexOf(entry);
    if (i !== -1) list.splice(i, 1);
  }

  /** Aborts once; later calls do nothing. */
  protected abortScope(reason?: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    // As AbortController does: no reason given is an AbortError.
    this.#reason = reason ?? new DOMException('This operation was aborted', 'AbortError');
    this.#controller?.abort(this.#reason);
    const list = this.#subscribers;
    this.#subscribers = undefined;
    if (list) {
      for (const listener of list) {
        if (typeof listener === 'function') runIsolated(listener, this.#reason);
        else {
          try {
            listener.abortScope(this.#reason);
          } catch (error) {
            reportListenerError(error);
          }
        }
      }
    }
  }
}

/**
 * Runs a listener as an AbortSignal would: one that throws neither stops the others nor the
 * abort; its error is reported as uncaught, after them.
 */
export function runIsolated<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (error) {
    reportListenerError(error);
  }
}

let reportListenerError = (error: unknown): void => {
  queueMicrotask(() => {
    throw error;
  });
};

/** Tests only: where a throwing listener's error goes (returns the previous reporter). */
export function setListenerErrorReporter(report: (error: unknown) => void): (error: unknown) => void {
  const previous = reportListenerError;
  reportListenerError = report;
  return previous;
}
