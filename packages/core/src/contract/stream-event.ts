import type { LLMResponse, ToolCall } from './response.js';

/** What a provider's stream source yields: text as it arrives, and tool calls once assembled. */
export type StreamEvent = { type: 'text'; text: string } | { type: 'tool-call'; toolCall: ToolCall };

/** What `LLMStream.events()` yields: the source's events, then the final response. */
export type LLMStreamEvent = StreamEvent | { type: 'finish'; response: LLMResponse };
