import { MalformedResponseError, type LLMResponse, type ToolCall } from '@autoarr-llm/core';
import { mapFinishReason } from './map-finish-reason.js';
import type { ChatCompletion } from './openai-wire.js';
import { parseToolArguments } from './parse-tool-arguments.js';
import { toUsage } from './to-usage.js';

/** A non-streamed answer as our response; an answer without a choice is malformed. */
export function fromChatCompletion(body: ChatCompletion, ctx: { provider: string; model: string }): LLMResponse {
  const choice = Array.isArray(body.choices) ? body.choices[0] : undefined;
  if (!choice || typeof choice.message !== 'object' || choice.message === null) {
    throw new MalformedResponseError(`${ctx.provider}: the answer has no choices[0].message`, { provider: ctx.provider });
  }
  const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((call, i) => {
    const name = call.function?.name ?? '';
    return { id: call.id || `call_${i}`, name, input: parseToolArguments(call.function?.arguments, name, ctx.provider) };
  });
  const usage = toUsage(body.usage);
  return {
    content: typeof choice.message.content === 'string' ? choice.message.content : '',
    model: body.model || ctx.model,
    provider: ctx.provider,
    ...(usage ? { usage } : {}),
    finishReason: mapFinishReason(choice.finish_reason, toolCalls.length > 0),
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}
