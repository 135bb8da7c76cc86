import type { CallOptions, ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMResponse } from '../contract/response.js';

// Object spread that adds properties (`{ ...options, signal }`) measured at 1–4 µs per call on
// Node 20, against ~0.01 µs for a literal: on the hot path these copies are written out.

/** The call's options with another signal and no `timeout` (the caller of this owns the deadline). */
export function withSignal(o: CallOptions | ResolvedCallOptions, signal: AbortSignal): ResolvedCallOptions {
  return {
    model: o.model,
    temperature: o.temperature as number,
    maxTokens: o.maxTokens,
    stop: o.stop,
    tools: o.tools,
    toolChoice: o.toolChoice,
    responseFormat: o.responseFormat,
    signal,
    timeout: undefined,
    cache: o.cache,
    providerOptions: o.providerOptions,
  };
}

/** A copy of a response, with the given content and tool calls. */
export function copyResponse(r: LLMResponse, content: string = r.content, toolCalls: LLMResponse['toolCalls'] = r.toolCalls): LLMResponse {
  const out: LLMResponse = { content, model: r.model, provider: r.provider };
  if (r.usage !== undefined) out.usage = r.usage;
  if (r.finishReason !== undefined) out.finishReason = r.finishReason;
  if (toolCalls !== undefined) out.toolCalls = toolCalls;
  return out;
}
