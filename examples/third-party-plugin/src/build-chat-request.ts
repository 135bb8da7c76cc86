import { InvalidRequestError, type LLMMessage, type ResolvedCallOptions } from '@autoarr-llm/core';
import type { ChatCompletionRequest } from './openai-wire.js';
import { toOpenAIMessages } from './to-openai-messages.js';
import { toOpenAIResponseFormat } from './to-openai-response-format.js';
import { toOpenAITools, toOpenAIToolChoice } from './to-openai-tools.js';

// Fields the provider owns; `providerOptions` may not override them.
const RESERVED = new Set(['model', 'messages', 'stream', 'stream_options']);

/**
 * The POST /chat/completions body for one call. `providerOptions['openai-compatible']` adds
 * server-specific fields as they are (`top_p`, `seed`, llama-server's `cache_prompt`, vLLM's
 * `repetition_penalty`, …).
 */
export function buildChatRequest(messages: LLMMessage[], options: ResolvedCallOptions, ctx: { provider: string; model: string; stream: boolean }): ChatCompletionRequest {
  const extra = options.providerOptions?.[ctx.provider] ?? {};
  const reserved = Object.keys(extra).find((k) => RESERVED.has(k));
  if (reserved) {
    const field = `options.providerOptions.${ctx.provider}.${reserved}`;
    throw new InvalidRequestError(`${ctx.provider}: invalid ${field}: this field is set by the provider`, { provider: ctx.provider, field });
  }
  const tools = toOpenAITools(options.tools);
  const toolChoice = tools ? toOpenAIToolChoice(options.toolChoice) : undefined;
  const responseFormat = toOpenAIResponseFormat(options.responseFormat);
  return {
    ...extra,
    model: ctx.model,
    messages: toOpenAIMessages(messages, ctx.provider),
    temperature: options.temperature,
    ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
    ...(options.stop ? { stop: options.stop } : {}),
    ...(tools ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(responseFormat ? { response_format: responseFormat } : {}),
    stream: ctx.stream,
    // Without this, streams carry no token counts at all.
    ...(ctx.stream ? { stream_options: { include_usage: true } } : {}),
  };
}
