import type { CallOptions } from './call-options.js';
import type { HealthReport } from './health-report.js';
import type { LLMMessage } from './message.js';
import type { LLMStream } from './llm-stream.js';
import type { ModelInfo } from './model-info.js';
import type { LLMResponse } from './response.js';

/** Version of the provider contract below; plugins declare the one they implement. */
export const PROVIDER_API_VERSION = 1;

/**
 * The interface every LLM provider implements (the seed's `BaseLLMProvider`). Extend
 * `BaseLLMProvider` to get validation, deadlines, cancellation and error translation for free.
 */
export interface LLMProvider {
  /** The provider's name (`claude`, `ollama`, `custom`, …): also `LLMResponse.provider`. */
  readonly name: string;

  /** Generate a completion for the given messages. */
  complete(messages: LLMMessage[], options?: CallOptions): Promise<LLMResponse>;

  /** Stream a completion: an async iterable of text chunks with the final response at the end. */
  streamComplete(messages: LLMMessage[], options?: CallOptions): LLMStream;

  /** Is the provider configured and reachable? Fast, bounded, and never throws. */
  isAvailable(): Promise<boolean>;

  /** Reachable? Authenticated? Model present and loaded? How long did it take? Never throws. */
  healthCheck(): Promise<HealthReport>;

  /** Models this provider can serve, with capabilities. */
  getModels(): Promise<ModelInfo[]>;

  /** Release sockets, timers, native memory. Safe to call twice. */
  dispose(): Promise<void>;

  /**
   * The seed's custom-prompt extension point: rewrite messages before they are sent (templates,
   * merged system prompts, …). Identity by default.
   */
  formatMessages?(messages: LLMMessage[]): LLMMessage[];
}
