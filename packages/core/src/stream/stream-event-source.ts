import type { CallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMStream } from '../contract/llm-stream.js';
import type { StreamEventIterator } from './create-llm-stream.js';
import type { LLMError } from '../errors/llm-error.js';
import type { CallAbort } from '../pipeline/call-abort-scope.js';

/**
 * A provider wrapper that can hand out its stream as a bare event iterator. The pipeline's own
 * layers (chain, resilient member) compose through this instead of wrapping each other's
 * `LLMStream`s, and as hand-written iterators rather than async generators: a generator layer
 * costs several promise hops per chunk, and the chain layer can hand `next` straight through once
 * a provider has started.
 */
export interface StreamEventSource {
  streamEvents(messages: LLMMessage[], options: CallOptions, signal: AbortSignal): StreamEventIterator;
}

/** A provider's own event iterator, with how to type its errors (see `BaseLLMProvider.openEvents`). */
export interface OpenedEvents {
  iterator: StreamEventIterator;
  /** The typed error for what the iterator threw; ends the call. */
  fail(error: unknown): LLMError;
  /** Ends the call (its deadline timer, its signal listener). */
  settle(): void;
}

/** A provider that can hand out its unwrapped event iterator (every `BaseLLMProvider`). */
export interface OpenEventsSource {
  /** `signal`: the call's AbortSignal, or a scope (a provider that cannot use one builds its signal). */
  openEvents(messages: LLMMessage[], options: CallOptions, signal: CallAbort): OpenedEvents;
}

export function hasOpenEvents(provider: LLMProvider): provider is LLMProvider & OpenEventsSource {
  return typeof (provider as Partial<OpenEventsSource>).openEvents === 'function';
}

export function hasStreamEvents(provider: LLMProvider): provider is LLMProvider & StreamEventSource {
  return typeof (provider as Partial<StreamEventSource>).streamEvents === 'function';
}

/** A provider's stream as an event iterator: a pipeline layer's own, else one over its LLMStream. */
export function streamEventsOf(provider: LLMProvider, messages: LLMMessage[], options: CallOptions, signal: AbortSignal): StreamEventIterator {
  return hasStreamEvents(provider) ? provider.streamEvents(messages, options, signal) : eventsOfStream(provider.streamComplete(messages, { ...options, signal }));
}

/** An `LLMStream` as an event iterator whose return value is the final response. */
export function eventsOfStream(stream: LLMStream): StreamEventIterator {
  const events = stream.events()[Symbol.asyncIterator]();
  return {
    next: async () => {
      const step = await events.next();
      if (step.done) return { done: true, value: undefined };
      if (step.value.type === 'finish') return { done: true, value: step.value.response };
      return { done: false, value: step.value };
    },
    return: async () => {
      await events.return?.();
      return { done: true, value: undefined };
    },
  };
}
