import type { CallOptions, ResolvedCallOptions } from '../contract/call-options.js';
import type { HealthReport } from '../contract/health-report.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { ModelInfo } from '../contract/model-info.js';
import type { LLMResponse } from '../contract/response.js';
import { AbortedError } from '../errors/aborted-error.js';
import { LLMError } from '../errors/llm-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { openCallSignal } from '../stream/call-signal.js';
import { createLLMStream, type StreamEventIterator } from '../stream/create-llm-stream.js';
import type { OpenedEvents } from '../stream/stream-event-source.js';
import { validateCall } from './validate-call.js';
import { NEVER_ABORTED, toSignal, type CallAbort, type CallAbortScope } from '../pipeline/call-abort-scope.js';
import { callContextOf } from '../pipeline/call-context.js';

/** How long `isAvailable` waits for the health check by default. */
export const DEFAULT_AVAILABILITY_TIMEOUT_MS = 3_000;

/**
 * The base class providers extend (the seed's `BaseLLMProvider`). It validates every call, applies
 * the seed's `formatMessages` hook, merges the caller's signal with the call's `timeout`, translates
 * errors into typed ones, and enforces the stream contract. Subclasses implement the `do*` methods.
 */
export abstract class BaseLLMProvider implements LLMProvider {
  abstract readonly name: string;
  #disposed = false;

  protected abstract doComplete(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): Promise<LLMResponse>;

  /**
   * Optional: `doComplete` for a provider that can cancel its request from a `CallAbortScope` (a
   * list of subscribers) as well as from an AbortSignal. A call with neither a signal of the
   * caller's nor a deadline of its own (every non-streamed call through the pipeline) then comes
   * here with the pipeline call's scope, and no AbortSignal is created for it: on Node 20 a signal,
   * and an SDK's listener on it, are a measurable share of a call's overhead. `onCallAbort(cancel,
   * listener)` links either kind.
   */
  protected doCompleteWith?(messages: LLMMessage[], options: ResolvedCallOptions, cancel: CallAbort): Promise<LLMResponse>;

  /**
   * Optional: `doStream` for a provider that can cancel its request from a `CallAbortScope` as well
   * as from an AbortSignal (see `doCompleteWith`). A stream through the pipeline then comes here
   * with its attempt's scope, and no AbortSignal is created for it.
   */
  protected doStreamWith?(messages: LLMMessage[], options: ResolvedCallOptions, cancel: CallAbort): StreamEventIterator;

  /**
   * Yield text and tool-call events; return the final response (content may be left empty), or
   * undefined when the backend never said it was done. An async generator is the easy way to write
   * it; a hand-written async iterator (`StreamEventIterator`) costs fewer promise hops per chunk.
   */
  protected abstract doStream(messages: LLMMessage[], options: ResolvedCallOptions, signal: AbortSignal): StreamEventIterator;

  /** The provider's own health check; may throw (the error becomes a `down` report). */
  protected abstract doHealthCheck(): Promise<Omit<HealthReport, 'provider' | 'latencyMs'>>;

  abstract getModels(): Promise<ModelInfo[]>;

  /** Turn a backend/SDK error into a typed `LLMError`. Override per provider. */
  protected mapError(error: unknown): unknown {
    return error;
  }

  /** Release resources; called once by `dispose`. */
  protected async doDispose(): Promise<void> {}

  /** The seed's custom prompt extension point. Identity by default. */
  formatMessages(messages: LLMMessage[]): LLMMessage[] {
    return messages;
  }

  async complete(messages: LLMMessage[], options?: CallOptions): Promise<LLMResponse> {
    const call = validateCall(this.name, messages, options);
    const o = call.options;
    if (this.doCompleteWith && o.signal === undefined && o.timeout === undefined) {
      // Cancelled, if at all, through the pipeline's scope: no AbortSignal needed.
      const scope = callContextOf(o)?.scope ?? NEVER_ABORTED;
      if (scope.aborted) throw this.#typed(this.#abortedBy(scope));
      try {
        return await this.doCompleteWith(this.formatMessages(call.messages), o, scope);
      } catch (error) {
        throw this.#afterScope(scope, error);
      }
    }
    // Through the pipeline without a scope-aware `doCompleteWith`: the scope's signal, built now.
    const signal = openCallSignal(this.name, o.signal ?? callContextOf(o)?.scope?.signal, o.timeout);
    try {
      signal.throwIfAborted();
      return await this.doComplete(this.formatMessages(call.messages), call.options, signal.signal);
    } catch (error) {
      throw this.#typed(signal.translate(this.mapError(error)));
    } finally {
      signal.dispose();
    }
  }

  streamComplete(messages: LLMMessage[], options?: CallOptions): LLMStream {
    const call = validateCall(this.name, messages, options);
    if (call.options.timeout === undefined) {
      // Without a deadline of its own the stream's controller (linked to the caller's signal, aborted
      // when the consumer leaves) is all the call needs.
      const caller = call.options.signal;
      // With a caller's signal and no deadline this is a pass-through: no controller is created.
      const callerSignal = caller ? openCallSignal(this.name, caller, undefined) : undefined;
      const formatted = this.formatMessages(call.messages);
      return createLLMStream({
        provider: this.name,
        signal: caller,
        source: (s) => this.doStream(formatted, call.options, s),
        mapError: (error) => this.#typed(callerSignal ? callerSignal.translate(this.mapError(error)) : this.mapError(error)),
      });
    }
    const signal = openCallSignal(this.name, call.options.signal, call.options.timeout);
    const formatted = this.formatMessages(call.messages);
    return createLLMStream({
      provider: this.name,
      signal: signal.signal,
      source: (s) => this.doStream(formatted, call.options, s),
      mapError: (error) => this.#typed(signal.translate(this.mapError(error))),
      onSettled: () => signal.dispose(),
    });
  }

  /**
   * The stream as a bare event iterator, for the pipeline's layers (`StreamEventSource`): the same
   * validation, signal and error translation as `streamComplete`, without an `LLMStream` of its own
   * (the pipeline's stream enforces the stream contract once, on top). Returning from it does not
   * abort the call: the caller aborts the signal it passed.
   */
  streamEvents(messages: LLMMessage[], options: CallOptions, signal: AbortSignal): StreamEventIterator {
    const opened = this.openEvents(messages, options, signal);
    const source = opened.iterator;
    return {
      next: async () => {
        try {
          const step = await source.next();
          if (step.done) opened.settle();
          return step;
        } catch (error) {
          throw opened.fail(error);
        }
      },
      return: async () => {
        opened.settle();
        await source.return?.(undefined).catch(() => undefined);
        return { done: true, value: undefined };
      },
    };
  }

  /**
   * The provider's own event iterator, unwrapped, with what a caller needs to wrap each step itself:
   * `fail` types an error the iterator threw (and ends the call), `settle` ends the call. The
   * pipeline's member layer wraps every chunk anyway; wrapping here too would cost a second promise
   * per chunk.
   */
  openEvents(messages: LLMMessage[], options: CallOptions, signal: CallAbort): OpenedEvents {
    const call = validateCall(this.name, messages, options);
    const o = call.options;
    const cancel = o.signal ?? signal;
    if (this.doStreamWith && o.timeout === undefined && !(cancel instanceof AbortSignal)) {
      // Cancelled through a scope (the pipeline attempt's): no AbortSignal needed.
      if (cancel.aborted) throw this.#typed(this.#abortedBy(cancel));
      let scoped: StreamEventIterator;
      try {
        scoped = this.doStreamWith(this.formatMessages(call.messages), o, cancel);
      } catch (error) {
        throw this.#afterScope(cancel, error);
      }
      return { iterator: scoped, fail: (error) => this.#afterScope(cancel, error), settle: nothingToSettle };
    }
    const callSignal = openCallSignal(this.name, toSignal(cancel), o.timeout);
    let iterator: StreamEventIterator;
    try {
      callSignal.throwIfAborted();
      iterator = this.doStream(this.formatMessages(call.messages), call.options, callSignal.signal);
    } catch (error) {
      callSignal.dispose();
      throw this.#typed(callSignal.translate(this.mapError(error)));
    }
    return {
      iterator,
      fail: (error) => {
        callSignal.dispose();
        return this.#typed(callSignal.translate(this.mapError(error)));
      },
      settle: () => callSignal.dispose(),
    };
  }

  /**
   * Available unless the health check says `down`, bounded by `DEFAULT_AVAILABILITY_TIMEOUT_MS`:
   * a check that hangs counts as unavailable rather than holding up the chain. Providers with a
   * cheaper check override this.
   */
  async isAvailable(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const deadline = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), DEFAULT_AVAILABILITY_TIMEOUT_MS);
      });
      return await Promise.race([this.healthCheck().then((report) => report.status !== 'down'), deadline]);
    } catch {
      return false;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  async healthCheck(): Promise<HealthReport> {
    const started = performance.now();
    try {
      const report = await this.doHealthCheck();
      return { ...report, provider: this.name, latencyMs: round(performance.now() - started) };
    } catch (error) {
      const typed = this.#typed(this.mapError(error));
      return {
        provider: this.name,
        status: 'down',
        reachable: false,
        latencyMs: round(performance.now() - started),
        reason: typed.message,
        details: { code: typed.code },
      };
    }
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.doDispose();
  }

  protected get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * The typed error for what a call cancelled through `scope` threw. Once the scope is aborted its
   * reason is the answer (an SDK may report an abort it did not ask for as its own timeout), unless
   * the error carries more: a cut stream's partial text, a model still loading.
   */
  #afterScope(scope: CallAbortScope, error: unknown): LLMError {
    const mapped = this.mapError(error);
    if (!scope.aborted || (LLMError.isInstance(mapped) && (mapped.code === 'INCOMPLETE_STREAM' || mapped.code === 'MODEL_LOADING'))) return this.#typed(mapped);
    return this.#typed(this.#abortedBy(scope));
  }

  /** Why a scope was aborted, as the typed error (a deadline's TimeoutError stays one). */
  #abortedBy(scope: CallAbortScope): unknown {
    return LLMError.isInstance(scope.reason) ? scope.reason : new AbortedError(`${this.name}: the call was aborted`, { provider: this.name, cause: scope.reason });
  }

  #typed(error: unknown): LLMError {
    if (LLMError.isInstance(error)) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError(`${this.name}: ${message}`, { provider: this.name, cause: error });
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** A scope-cancelled stream holds no signal or timer of its own: nothing to release. */
function nothingToSettle(): void {}
