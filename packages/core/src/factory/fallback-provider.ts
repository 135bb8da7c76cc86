import type { CallOptions } from '../contract/call-options.js';
import type { HealthReport } from '../contract/health-report.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { ModelInfo } from '../contract/model-info.js';
import type { LLMResponse } from '../contract/response.js';
import type { ProviderAttempt } from '../errors/no-provider-available-error.js';
import { createLLMStream } from '../stream/create-llm-stream.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { shouldFallBack } from './should-fall-back.js';
import { optionsFor, ResilientProvider, unwrapResilient } from '../pipeline/resilient-provider.js';
import { isCallAborted } from '../pipeline/call-context.js';
import type { CallAbort } from '../pipeline/call-abort-scope.js';
import { chainAttempt, chainExhausted, ChainStream } from './chain-stream.js';

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
        (attempts ??= []).push(chainAttempt(name, error));
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

  /** The chain's stream as a bare event iterator (see `ChainStream`). */
  streamEvents(messages: LLMMessage[], options: CallOptions, signal: CallAbort): StreamEventIterator {
    const o = this.#o;
    // A chain of one pipeline member, with nothing skipped before it, has nothing to fall back to
    // and reports that member's own error (see chainExhausted): the member's stream is the chain's.
    if ((o.order.length === 1 || !o.fallbackEnabled) && o.skipped.length === 0 && o.primary instanceof ResilientProvider) return o.primary.streamEvents(messages, options, signal);
    return new ChainStream(o, this.chain, messages, options, signal);
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

  #exhausted(attempts: ProviderAttempt[]): unknown {
    return chainExhausted(this.#o.skipped, attempts);
  }
}
