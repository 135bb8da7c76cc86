import type { CallOptions } from '../contract/call-options.js';
import type { HealthReport } from '../contract/health-report.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { ModelInfo } from '../contract/model-info.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import { ServerError } from '../errors/server-error.js';
import { hasOpenEvents, streamEventsOf, type OpenedEvents } from '../stream/stream-event-source.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { LLMError } from '../errors/llm-error.js';
import { ProviderUnavailableError } from '../errors/provider-unavailable-error.js';
import type { Logger } from '../logging/logger.js';
import { createLLMStream } from '../stream/create-llm-stream.js';
import { AttemptController } from './attempt-controller.js';
import { backoffDelay } from './backoff-delay.js';
import { callAbortOf, callContextOf, remainingMs, type AttemptRecord } from './call-context.js';
import type { CallAbort } from './call-abort-scope.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { estimateMessageTokens } from './estimate-tokens.js';
import type { ProviderPolicy } from './pipeline-config.js';
import type { RateLimiter } from './rate-limiter.js';
import { abortableSleep } from '../provider/abortable-sleep.js';
import { withSignal } from '../provider/with-signal.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';

export interface ResilientProviderOptions {
  policy: ProviderPolicy & { maxAttempts: number };
  retry: { baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  breaker: CircuitBreaker;
  limiter?: RateLimiter | undefined;
  logger: Logger;
  random?: () => number;
}

/** Codes worth another attempt on the same provider (quota and caller errors are not). */
const RETRY_SAME = new Set(['RATE_LIMITED', 'OVERLOADED', 'SERVER_ERROR', 'TIMEOUT', 'MALFORMED_RESPONSE', 'MODEL_LOADING', 'PROVIDER_UNAVAILABLE']);

/**
 * One provider of the chain behind the pipeline's per-provider policy: the circuit breaker, the
 * rate limiter, per-attempt deadlines (total for a call, first chunk and idle for a stream) and the
 * one retry loop of the whole stack (SDK retries are off). Streams are retried only before their
 * first chunk. Every retry waits within the call's overall deadline, or gives up at once so the
 * chain can move on.
 */
export class ResilientProvider implements LLMProvider {
  readonly inner: LLMProvider;
  readonly #o: ResilientProviderOptions;

  constructor(inner: LLMProvider, options: ResilientProviderOptions) {
    this.inner = inner;
    this.#o = options;
  }

  get name(): string {
    return this.inner.name;
  }

  async complete(messages: LLMMessage[], options: CallOptions = {}): Promise<LLMResponse> {
    const limiter = this.#o.limiter;
    const estimate = limiter ? estimateMessageTokens(messages) + (options.maxTokens ?? 256) : 0;
    for (let attempt = 1; ; attempt++) {
      const admitted = this.#admit(options, estimate, attempt);
      if (admitted) await admitted;
      // Without an attempt deadline the call's own signal is enough (no controller to create).
      const ctl = this.#o.policy.attemptTimeoutMs === undefined ? undefined : new AttemptController(this.name, callAbortOf(options));
      ctl?.arm('attempt', this.#o.policy.attemptTimeoutMs);
      const started = performance.now();
      try {
        const response = await this.inner.complete(messages, ctl ? withSignal(options, ctl.signal) : optionsFor(this.inner, options));
        this.#o.breaker.recordSuccess();
        limiter?.settle(estimate, response.usage?.totalTokens ?? estimate);
        this.#record(options, attempt, 'success', undefined, started);
        return response;
      } catch (caught) {
        const error = ctl ? ctl.translate(caught) : caught;
        this.#record(options, attempt, 'error', codeOf(error), started);
        await this.#afterFailure(error, attempt, options);
      } finally {
        ctl?.dispose();
      }
    }
  }

  streamComplete(messages: LLMMessage[], options: CallOptions = {}): LLMStream {
    return createLLMStream({
      provider: this.name,
      signal: options.signal,
      source: (signal) => this.streamEvents(messages, options, signal),
    });
  }

  /**
   * The stream as a bare event iterator, attempts and deadlines applied (see `StreamEventSource`).
   * Hand-written rather than a generator, and over the provider's own iterator where it offers one
   * (`openEvents`): this is the one wrapper every chunk passes through between the provider and
   * the pipeline's stream.
   */
  streamEvents(messages: LLMMessage[], options: CallOptions, signal: CallAbort): StreamEventIterator {
    const limiter = this.#o.limiter;
    const estimate = limiter ? estimateMessageTokens(messages) + (options.maxTokens ?? 256) : 0;
    const idleMs = this.#o.policy.idleTimeoutMs;
    const inner = this.inner;
    let attempt = 0;
    let ctl: AttemptController | undefined;
    let events: StreamEventIterator | undefined;
    let opened: OpenedEvents | undefined;
    let started = 0;
    let chunks = 0;
    let finished = false;
    const close = () => {
      ctl?.dispose();
      ctl = undefined;
      events = undefined;
      opened = undefined;
    };
    const context = callContextOf(options);
    const succeeded = (response: LLMResponse | undefined) => {
      finished = true;
      opened?.settle();
      if (response) {
        this.#o.breaker.recordSuccess();
        limiter?.settle(estimate, response.usage?.totalTokens ?? estimate);
        this.#record(options, attempt, 'success', undefined, started);
      } else {
        // Cut after some output: the pipeline's stream reports it as incomplete.
        this.#o.breaker.recordFailure(new ServerError(`${this.name}: stream cut`, { provider: this.name }));
        this.#record(options, attempt, 'error', 'INCOMPLETE_STREAM', started);
      }
      close();
    };
    /** A failure after the first chunk: never retried, never hidden. */
    const failedAfterOutput = (raw: unknown): unknown => {
      const typed = opened ? opened.fail(raw) : raw;
      const error = ctl ? ctl.translate(typed) : typed;
      this.#record(options, attempt, 'error', codeOf(error), started);
      finished = true;
      close();
      this.#o.breaker.recordFailure(error);
      return error;
    };
    const iterator: StreamEventIterator = {
      next: async (): Promise<IteratorResult<StreamEvent, LLMResponse | undefined>> => {
        if (finished) return { done: true, value: undefined };
        for (;;) {
          if (!ctl) {
            attempt++;
            const admitted = this.#admit(options, estimate, attempt);
            if (admitted) await admitted;
            ctl = new AttemptController(this.name, signal);
            ctl.arm('first-chunk', this.#o.policy.firstChunkTimeoutMs);
            started = performance.now();
            chunks = 0;
          }
          let step: IteratorResult<StreamEvent, LLMResponse | undefined>;
          try {
            if (!events) {
              if (hasOpenEvents(inner)) {
                // The attempt itself is the cancellation: a provider that links its request to it
                // (doStreamWith) needs no AbortSignal; any other builds the attempt's.
                opened = inner.openEvents(messages, withSignal(options, undefined), ctl);
                events = opened.iterator;
              } else events = streamEventsOf(inner, messages, withSignal(options, ctl.signal), ctl.signal);
            }
            try {
              step = await events.next();
            } catch (raw) {
              throw opened ? opened.fail(raw) : raw;
            }
            // Ended without the backend saying it was done, before any output: a failed attempt.
            if (step.done && step.value === undefined && chunks === 0) throw new ServerError(`${this.name}: the stream ended before any output`, { provider: this.name });
          } catch (caught) {
            const error = (ctl as AttemptController).translate(caught);
            this.#record(options, attempt, 'error', codeOf(error), started);
            opened?.settle();
            close();
            // After the first chunk the caller has text from this attempt: never retry, never hide it.
            if (chunks > 0) {
              finished = true;
              this.#o.breaker.recordFailure(error);
              throw error;
            }
            try {
              await this.#afterFailure(error, attempt, options);
            } catch (final) {
              finished = true;
              throw final;
            }
            continue;
          }
          if (step.done) {
            succeeded(step.value);
            return step;
          }
          chunks++;
          ctl?.arm('idle', idleMs);
          if (chunks === 1 && context?.streamHooks === null) {
            // Started: from here the consumer calls the hooks, and each step is the provider's own
            // (no promise of this layer per chunk).
            const active = ctl as AttemptController;
            const source = events as StreamEventIterator;
            context.streamHooks = { onChunk: () => active.arm('idle', idleMs), onDone: succeeded, mapError: failedAfterOutput };
            iterator.next = () => (finished ? Promise.resolve({ done: true, value: undefined }) : source.next());
          }
          return step;
        }
      },
      return: async () => {
        finished = true;
        const open = events;
        // The consumer left: stop the backend (the member's iterator does not abort on return).
        ctl?.abort();
        opened?.settle();
        close();
        await open?.return?.(undefined)?.catch(() => undefined);
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }

  /** Breaker and rate limiter, before every attempt: nothing to wait for (undefined) in the common case. */
  #admit(options: CallOptions, estimate: number, attempt: number): Promise<void> | undefined {
    const allowed = this.#o.breaker.allows();
    if (allowed === true) return this.#o.limiter?.acquire(estimate, callAbortOf(options), remainingMs(options));
    if (allowed === false) throw this.#circuitOpen(options, attempt);
    return allowed.then((ok) => {
      if (!ok) throw this.#circuitOpen(options, attempt);
      return this.#o.limiter?.acquire(estimate, callAbortOf(options), remainingMs(options));
    });
  }

  #circuitOpen(options: CallOptions, attempt: number): ProviderUnavailableError {
    callContextOf(options)?.attempts.push({ provider: this.name, attempt, outcome: 'skipped', durationMs: 0, note: 'circuit open' });
    return new ProviderUnavailableError(`${this.name}: circuit open after repeated failures; next probe in ${Math.ceil(this.#o.breaker.retryInMs())} ms`, {
      provider: this.name,
    });
  }

  /** Decides whether to retry on this provider; throws when not (the chain then moves on). */
  async #afterFailure(error: unknown, attempt: number, options: CallOptions): Promise<void> {
    const signal = callAbortOf(options);
    this.#o.breaker.recordFailure(error);
    if (!LLMError.isInstance(error) || !RETRY_SAME.has(error.code) || signal?.aborted || attempt >= this.#o.policy.maxAttempts) throw error;
    const retryAfter = (error as { retryAfterMs?: number }).retryAfterMs;
    if (retryAfter !== undefined) {
      this.#o.limiter?.pause(retryAfter);
      if (retryAfter > this.#o.retry.maxRetryAfterMs) throw error;
    }
    const delay = backoffDelay(attempt, { ...this.#o.retry, ...(this.#o.random ? { random: this.#o.random } : {}) }, retryAfter);
    if (delay >= remainingMs(options)) throw error;
    this.#o.logger.debug({ provider: this.name, attempt, code: error.code, delayMs: delay }, 'retrying');
    await abortableSleep(delay, signal);
  }

  #record(options: CallOptions, attempt: number, outcome: AttemptRecord['outcome'], errorCode: string | undefined, started: number): void {
    const context = callContextOf(options);
    if (context) context.attempts.push({ provider: this.name, attempt, outcome, errorCode, durationMs: performance.now() - started });
  }

  isAvailable(): Promise<boolean> {
    return this.inner.isAvailable();
  }

  healthCheck(): Promise<HealthReport> {
    return this.inner.healthCheck();
  }

  getModels(): Promise<ModelInfo[]> {
    return this.inner.getModels();
  }

  formatMessages(messages: LLMMessage[]): LLMMessage[] {
    return this.inner.formatMessages ? this.inner.formatMessages(messages) : messages;
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/** The provider behind the pipeline's per-provider wrapper (itself when it is not wrapped). */
export function unwrapResilient(provider: LLMProvider): LLMProvider {
  return provider instanceof ResilientProvider ? provider.inner : provider;
}

/**
 * The options a chain member is called with. The pipeline forwards a call's cancellation as its
 * scope (on the options' call context), which pipeline layers and `BaseLLMProvider`s read there;
 * any other provider gets the scope's AbortSignal, built now.
 */
export function optionsFor(provider: LLMProvider, options: CallOptions): CallOptions {
  if (options.signal || provider instanceof ResilientProvider || provider instanceof BaseLLMProvider) return options;
  const scope = callContextOf(options)?.scope;
  return scope ? withSignal(options, scope.signal) : options;
}

function codeOf(error: unknown): string | undefined {
  return LLMError.isInstance(error) ? error.code : undefined;
}
