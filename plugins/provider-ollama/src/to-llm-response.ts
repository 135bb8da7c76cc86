import { makeUsage, MalformedResponseError, type LLMResponse, type ToolCall, type Usage } from '@autoarr-llm/core';
import type { ChatResponse, ToolCall as OllamaToolCall } from 'ollama';
import { mapDoneReason } from './map-done-reason.js';

/** An Ollama tool call as ours. Recent Ollama versions send an `id`; older ones do not, so one is made up. */
export function toToolCall(call: OllamaToolCall & { id?: unknown }, index: number): ToolCall {
  const args: unknown = call.function.arguments;
  let input: unknown = args;
  if (typeof args === 'string') {
    try {
      input = JSON.parse(args);
    } catch {
      input = args;
    }
  }
  return { id: typeof call.id === 'string' && call.id ? call.id : `call_${index}`, name: call.function.name, input: input ?? {} };
}

/** Token counts of Ollama's final chunk; Ollama omits `prompt_eval_count` when the prompt was cached. */
export function usageOf(res: Partial<Pick<ChatResponse, 'prompt_eval_count' | 'eval_count'>>): Usage | undefined {
  const input = typeof res.prompt_eval_count === 'number' ? res.prompt_eval_count : undefined;
  const output = typeof res.eval_count === 'number' ? res.eval_count : undefined;
  if (input === undefined && output === undefined) return undefined;
  return makeUsage(input ?? 0, output ?? 0);
}

/** A non-streamed /api/chat answer as an `LLMResponse`, after checking it is one. */
export function toLLMResponse(res: unknown, provider: string, requestedModel: string): LLMResponse {
  const r = res as Partial<ChatResponse> | null;
  if (!r || typeof r !== 'object' || typeof r.message !== 'object' || r.message === null || r.done !== true) {
    throw new MalformedResponseError(`${provider}: /api/chat answered without a final message`, { provider });
  }
  const toolCalls = (r.message.tool_calls ?? []).map((c, i) => toToolCall(c, i));
  const usage = usageOf(r);
  return {
    content: typeof r.message.content === 'string' ? r.message.content : '',
    model: typeof r.model === 'string' && r.model ? r.model : requestedModel,
    provider,
    ...(usage ? { usage } : {}),
    finishReason: mapDoneReason(r.done_reason, toolCalls.length > 0),
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
  };
}
