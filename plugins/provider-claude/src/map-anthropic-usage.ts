import { makeUsage, type Usage } from '@autoarr-llm/core';

/** The usage fields the Messages API reports (a Message's `usage`, or message_start + message_delta merged). */
export interface AnthropicUsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/**
 * Core usage from the API's. `input_tokens` excludes cached tokens, so the prompt's full size is
 * input + cache read + cache write; core's `inputTokens` keeps the API's meaning and the cache
 * figures ride alongside.
 */
export function mapAnthropicUsage(usage: AnthropicUsageFields): Usage {
  const extra: { cacheReadTokens?: number; cacheWriteTokens?: number } = {};
  if (typeof usage.cache_read_input_tokens === 'number') extra.cacheReadTokens = usage.cache_read_input_tokens;
  if (typeof usage.cache_creation_input_tokens === 'number') extra.cacheWriteTokens = usage.cache_creation_input_tokens;
  return makeUsage(usage.input_tokens ?? 0, usage.output_tokens ?? 0, 'reported', extra);
}
