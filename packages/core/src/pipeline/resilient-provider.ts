import type { CallOptions } from '../contract/call-options.js';
import type { HealthReport } from '../contract/health-report.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { ModelInfo } from '../contract/model-info.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { createLLMStream } from '../stream/create-llm-stream.js';
import { AttemptController } from './attempt-controller.js';
import { callAbortOf, callContextOf } from './call-context.js';
import type { CallAbort } from './call-abort-scope.js';
import { codeOf, MemberPolicy, type ResilientProviderOptions } from './member-policy.js';
import { MemberStream } from './member-stream.js';
import { withSignal } from '../provider/with-signal.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';

export type { ResilientProviderOptions } from './member-policy.js';

/**
 * One provider of the chain behind the pipeline's per-provider policy: the circuit breaker, the
 * rate limiter, per-attempt deadlines (total for a call, first chunk and idle for a stream) and the
 * one retry loop of the whole stack (SDK retries are off). Streams are retried only before their
 * first chunk. Every retry waits within the call's overall deadline, or gives up at once so the
 * chain can move on.
 */
export class ResilientProvider implements LLMProvider {
  readonly inner: LLMProvider;
  readonly #p: MemberPolicy;

  constructor(inner: LLMProvider, options: ResilientProviderOptions) {
    this.inner = inner;
    this.#p = new MemberPolicy(inner.name, options);
  }

  get name(): string {
    return this.inner.name;
  }

  async complete(messages: LLMMessage[], options: CallOptions = {}): Promise<LLMResponse> {
    const p = this.#p;
    const estimate = p.estimate(messages, options.maxTokens);
    const attemptTimeoutMs = p.o.policy.attemptTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const admitted = p.admit(options, estimate, attempt);
      if (admitted) await admitted;
      // Without an attempt deadline the call's own signal is enough (no controller to create).
      const ctl = attemptTimeoutMs === undefined ? undefined : new AttemptController(this.name, callAbortOf(options));
      ctl?.arm('attempt', attemptTimeoutMs);
      const started = performance.now();
      try {
        const response = await this.inner.complete(messages, ctl ? withSignal(options, ctl.signal) : optionsFor(this.inner, options));
        p.succeeded(estimate, response.usage?.totalTokens);
        p.record(options, attempt, 'success', undefined, started);
        return response;
      } catch (caught) {
        const error = ctl ? ctl.translate(caught) : caught;
        p.record(options, attempt, 'error', codeOf(error), started);
        await p.afterFailure(error, attempt, options);
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
   * The stream as a bare event iterator, attempts and deadlines applied (see `StreamEventSource`
   * and `MemberStream`): the one wrapper between the provider and the pipeline's stream.
   */
  streamEvents(messages: LLMMessage[], options: CallOptions, signal: CallAbort): StreamEventIterator {
    return new MemberStream(this.#p, this.inner, messages, options, signal);
  }

  isAvailable(): Promise<boolean> {
    return (this.#p.o.lifecycle ?? this.inner).isAvailable();
  }

  healthCheck(): Promise<HealthReport> {
    return (this.#p.o.lifecycle ?? this.inner).healthCheck();
  }

  getModels(): Promise<ModelInfo[]> {
    return (this.#p.o.lifecycle ?? this.inner).getModels();
  }

  formatMessages(messages: LLMMessage[]): LLMMessage[] {
    return this.inner.formatMessages ? this.inner.formatMessages(messages) : messages;
  }

  dispose(): Promise<void> {
    return (this.#p.o.lifecycle ?? this.inner).dispose();
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
