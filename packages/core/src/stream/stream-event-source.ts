import type { CallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';

/**
 * A provider wrapper that can hand out its stream as a bare event generator. The pipeline's own
 * layers (chain, resilient member) compose through this instead of wrapping each other's
 * `LLMStream`s: one stream object per layer per chunk was a measurable share of streaming cost.
 */
export interface StreamEventSource {
  streamEvents(messages: LLMMessage[], options: CallOptions, signal: AbortSignal): AsyncGenerator<StreamEvent, LLMResponse | undefined, void>;
}

export function hasStreamEvents(provider: LLMProvider): provider is LLMProvider & StreamEventSource {
  return typeof (provider as Partial<StreamEventSource>).streamEvents === 'function';
}

/** A provider's stream as an event generator: a pipeline layer's own, else one over its LLMStream. */
export function streamEventsOf(provider: LLMProvider, messages: LLMMessage[], options: CallOptions, signal: AbortSignal): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
  return hasStreamEvents(provider) ? provider.streamEvents(messages, options, signal) : eventsOfStream(provider, messages, options, signal);
}

async function* eventsOfStream(provider: LLMProvider, messages: LLMMessage[], options: CallOptions, signal: AbortSignal): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
  const stream = provider.streamComplete(messages, { ...options, signal });
  for await (const event of stream.events()) {
    if (event.type === 'finish') return event.response;
    yield event;
  }
  return undefined;
}
