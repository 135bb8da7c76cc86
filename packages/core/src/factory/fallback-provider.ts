import type { CallOptions } from '../contract/call-options.js';
import type { HealthReport } from '../contract/health-report.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { ModelInfo } from '../contract/model-info.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import { LLMError } from '../errors/llm-error.js';
import { NoProviderAvailableError, type ProviderAttempt } from '../errors/no-provider-available-error.js';
import { createLLMStream } from '../stream/create-llm-stream.js';
import { streamEventsOf } from '../stream/stream-event-source.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { shouldFallBack } from './should-fall-back.js';
import { optionsFor, ResilientProvider, unwrapResilient } from '../pipeline/resilient-provider.js';
import { isCallAborted } from '../pipeline/call-context.js';
import { toSignal, type CallAbort } from '../pipeline/call-abort-scope.js';

export interface FallbackProviderOptions {
  /** Provider names in order; the first is already created and available. */
  order: readonly string[];
  primary: LLMProvider;
  /** Creates (or returns the cached) provider for a name; may throw. */
  get(name: string): Promise<LLMProvider>;
  /** The provider for a name when it is already created (saves a call an await). */
  peek?(name: string): LLMProvider | undefined;
  /** Whether calls may move on to the next provider. */
  fallbackEnabled: boolean;
  /** What happened before the primary was chosen (reported with later failures). */
  skipped: readonly ProviderAttempt[];
  onDispose?: () => Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The provider `createProvider()` returns: the first available provider of the chain, which moves
 * on to the next one when a call fails in a way another provider could fix. Streams move on only
 * before their first chunk; after it a failure is an `IncompleteStreamError` with the partial text.
 * `response.provider` always names the provider that really answered.
 */
export class FallbackProvider implements LLMProvider {
  readonly #o: FallbackProviderOptions;
  #disposed = false;

  constructor(options: FallbackProviderOptions) {
    this.#o = options;
  }

  /** The primary provider's name (the seed logs `provider_name`). */
  get name(): string {
    return this.#o.primary.name;
  }

  /** The providers this chain may use, in order. */
  get chain(): readonly string[] {
    return this.#o.fallbackEnabled ? this.#o.order : this.#o.order.slice(0, 1);
  }

  /** The selected (first available) provider itself, without the pipeline's wrapper. */
  get primary(): LLMProvider {
    return unwrapResilient(this.#o.primary);
  }

  async complete(messages: LLMMessage[], options?: CallOptions): Promise<LLMResponse> {
    let attempts: ProviderAttempt[] | undefined;
    for (const name of this.chain) {
      let provider: LLMProvider;
      try {
        provider = this.#o.peek?.(name) ?? (await this.#o.get(name));
        return await provider.complete(messages, options ? optionsFor(provider, options) : options);
      } catch (error) {
        if (!shouldFallBack(error) || isCallAborted(options)) throw error;
        (attempts ??= []).push(attempt(name, error));
      }
    }
    throw this.#exhausted(attempts ?? []);
  }

  streamComplete(messages: LLMMessage[], options?: CallOptions): LLMStream {
    return createLLMStream({
      provider: this.name,
      signal: options?.signal,
      source: (signal) => this.streamEvents(messages, options ?? {}, signal),
    });
  }

  /**
   * The chain's stream as a bare event iterator: it moves on to the next provider only before a
   * provider's first event. Once one has started, `next` is handed straight to that provider's
   * iterator, so the chain costs nothing per chunk.
   */
  streamEvents(messages: LLMMessage[], options: CallOptions, signal: CallAbort): StreamEventIterator {
    const chain = this.chain;
    const attempts: ProviderAttempt[] = [];
    let index = 0;
    let current: StreamEventIterator | undefined;
    let currentName = '';
    const iterator: StreamEventIterator = {
      next: async () => {
        for (;;) {
          if (!current) {
            if (index >= chain.length) throw this.#exhausted(attempts);
            currentName = chain[index++] as string;
            try {
              const member = this.#o.peek?.(currentName) ?? (await this.#o.get(currentName));
              // A pipeline member takes the call's scope as it is; anything else gets a real signal.
              current = member instanceof ResilientProvider ? member.streamEvents(messages, options, signal) : streamEventsOf(member, messages, options, toSignal(signal));
            } catch (error) {
              if (!shouldFallBack(error) || isCallAborted(options) || signal.aborted) throw error;
              attempts.push(attempt(currentName, error));
              continue;
            }
          }
          let step: IteratorResult<StreamEvent, LLMResponse | undefined>;
          try {
            step = await current.next();
          } catch (error) {
            // Nothing was shown from this provider yet: the next one may serve.
            if (!shouldFallBack(error) || isCallAborted(options) || signal.aborted) throw error;
            attempts.push(attempt(currentName, error));
            current = undefined;
            continue;
          }
          if (!step.done) {
            // The consumer now has text from this provider: never switch; delegate from here on.
            const started = current;
            iterator.next = () => started.next();
          }
          return step;
        }
      },
      return: async () => {
        await current?.return?.(undefined).catch(() => undefined);
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }

  async isAvailable(): Promise<boolean> {
    for (const name of this.chain) {
      try {
        if (await (await this.#o.get(name)).isAvailable()) return true;
      } catch {
        // Not creatable: not available.
      }
    }
    return false;
  }

  async healthCheck(): Promise<HealthReport> {
    const report = await this.#o.primary.healthCheck();
    return { ...report, details: { ...report.details, chain: [...this.chain] } };
  }

  async getModels(): Promise<ModelInfo[]> {
    const all: ModelInfo[] = [];
    for (const name of this.chain) {
      try {
        all.push(...(await (await this.#o.get(name)).getModels()));
      } catch {
        // A provider that cannot list models contributes none.
      }
    }
    return all;
  }

  formatMessages(messages: LLMMessage[]): LLMMessage[] {
    return this.#o.primary.formatMessages ? this.#o.primary.formatMessages(messages) : messages;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#o.onDispose?.();
  }

  /** A chain of one provider reports that provider's own error; a longer one, every attempt. */
  #exhausted(attempts: ProviderAttempt[]): unknown {
    if (this.#o.skipped.length === 0 && attempts.length === 1 && attempts[0]!.error !== undefined) return attempts[0]!.error;
    return new NoProviderAvailableError([...this.#o.skipped, ...attempts]);
  }
}

function attempt(provider: string, error: unknown): ProviderAttempt {
  return { provider, reason: describe(error), code: LLMError.isInstance(error) ? error.code : undefined, error };
}
