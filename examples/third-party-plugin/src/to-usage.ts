import { makeUsage, type Usage } from '@autoarr-llm/core';
import type { OpenAIUsage } from './openai-wire.js';

/** Token counts as the server reported them; undefined when it reported none. */
export function toUsage(usage: OpenAIUsage | null | undefined): Usage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  return makeUsage(usage.prompt_tokens, usage.completion_tokens, 'reported', typeof cached === 'number' && cached > 0 ? { cacheReadTokens: cached } : {});
}
