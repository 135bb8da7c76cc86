import type { CallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import { LLMError } from '../errors/llm-error.js';
import { NoProviderAvailableError, type ProviderAttempt } from '../errors/no-provider-available-error.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { streamEventsOf } from '../stream/stream-event-source.js';
import { toSignal, type CallAbort } from '../pipeline/call-abort-scope.js';
import { isCallAborted } from '../pipeline/call-context.js';
import { ResilientProvider } from '../pipeline/resilient-provider.js';
import { shouldFallBack } from './should-fall-back.js';

type Step = IteratorResult<StreamEvent, LLMResponse | undefined>;

/** How a chain stream finds its members (the chain's own options). */
export interface ChainMembers {
  /** Creates (or returns the cached) provider for a name; may throw. */
  get(name: string): Promise<LLMProvider>;
  /** The provider for a name when it is already created (saves a call an await). */
  peek?(name: string): LLMProvider | undefined;
  /** What happened before the primary was chosen (reported with later failures). */
  skipped: readonly ProviderAttempt[];
}

/**
 * The chain's stream as a bare event iterator: it moves on to the next provider only before a
 * provider's first event. Once one has started, `next` is that provider's iterator's own, so the
 * chain costs nothing per chunk. A class: one object per stream in flight, not a set of closures.
 */
export class ChainStream implements StreamEventIterator {
  readonly #members: ChainMembers;
  readonly #chain: readonly string[];
  readonly #messages: LLMMessage[];
  readonly #options: CallOptions;
  readonly #signal: CallAbort;
  #attempts: ProviderAttempt[] | undefined;
  #index = 0;
  #current: StreamEventIterator | undefined;
  #currentName = '';
  #started = false;

  constructor(members: ChainMembers, chain: readonly string[], messages: LLMMessage[], options: CallOptions, signal: CallAbort) {
    this.#members = members;
    this.#chain = chain;
    this.#messages = messages;
    this.#options = options;
    this.#signal = signal;
  }

  next(): Promise<Step> {
    return this.#started ? (this.#current as StreamEventIterator).next() : this.#next();
  }

  async #next(): Promise<Step> {
    const chain = this.#chain;
    for (;;) {
      if (!this.#current) {
        if (this.#index >= chain.length) throw chainExhausted(this.#members.skipped, this.#attempts ?? []);
        const name = chain[this.#index++] as string;
        this.#currentName = name;
        try {
          const member = this.#members.peek?.(name) ?? (await this.#members.get(name));
          // A pipeline member takes the call's scope as it is; anything else gets a real signal.
          this.#current =
            member instanceof ResilientProvider
              ? member.streamEvents(this.#messages, this.#options, this.#signal)
              : streamEventsOf(member, this.#messages, this.#options, toSignal(this.#signal));
        } catch (error) {
          if (!shouldFallBack(error) || isCallAborted(this.#options) || this.#signal.aborted) throw error;
          (this.#attempts ??= []).push(chainAttempt(name, error));
          continue;
        }
      }
      let step: Step;
      try {
        step = await this.#current.next();
      } catch (error) {
        // Nothing was shown from this provider yet: the next one may serve.
        if (!shouldFallBack(error) || isCallAborted(this.#options) || this.#signal.aborted) throw error;
        (this.#attempts ??= []).push(chainAttempt(this.#currentName, error));
        this.#current = undefined;
        continue;
      }
      // The consumer now has text from this provider: never switch; delegate from here on.
      if (!step.done) this.#started = true;
      return step;
    }
  }

  async return(): Promise<Step> {
    await this.#current?.return?.(undefined).catch(() => undefined);
    return { done: true, value: undefined };
  }
}

/** A chain of one provider reports that provider's own error; a longer one, every attempt. */
export function chainExhausted(skipped: readonly ProviderAttempt[], attempts: ProviderAttempt[]): unknown {
  if (skipped.length === 0 && attempts.length === 1 && attempts[0]!.error !== undefined) return attempts[0]!.error;
  return new NoProviderAvailableError([...skipped, ...attempts]);
}

export function chainAttempt(provider: string, error: unknown): ProviderAttempt {
  return { provider, reason: error instanceof Error ? error.message : String(error), code: LLMError.isInstance(error) ? error.code : undefined, error };
}
