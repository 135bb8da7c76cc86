import { z } from 'zod';
import { CallCostSchema, RouteSummarySchema } from './route-summary.js';

/**
 * Why generation ended. `stop`: natural end; `stop-sequence`: a stop sequence matched;
 * `length`: maxTokens or the context was exhausted; `tool-calls`: the model wants tools run;
 * `content-filter`: refused or filtered; `other`: anything the provider could not map.
 */
export const FinishReasonSchema = z.enum(['stop', 'stop-sequence', 'length', 'tool-calls', 'content-filter', 'other']);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

/**
 * Token usage of one call. `source` tells whether the backend reported the figures or they were
 * estimated (for example when a stream was cut before the backend sent its totals).
 *
 * One meaning for every provider (the Messages API's, which prices follow): `inputTokens` are the
 * prompt tokens processed without a cache; `cacheReadTokens` (a prefix reused from a prompt cache
 * or a local model's context) and `cacheWriteTokens` (written to a cache) are counted apart, so the
 * prompt's whole size is `inputTokens + (cacheReadTokens ?? 0) + (cacheWriteTokens ?? 0)`, and each
 * part is billed at its own rate (`costOf`). `totalTokens` is `inputTokens + outputTokens`.
 */
export const UsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative().optional(),
  cacheWriteTokens: z.number().int().nonnegative().optional(),
  source: z.enum(['reported', 'estimated']),
});
export type Usage = z.infer<typeof UsageSchema>;

export const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/** The standard response format for all providers (the seed's `LLMResponse`). */
export const LLMResponseSchema = z.object({
  content: z.string(),
  model: z.string(),
  provider: z.string(),
  usage: UsageSchema.optional(),
  finishReason: FinishReasonSchema.optional(),
  toolCalls: z.array(ToolCallSchema).optional(),
  /** What the call cost, where a price is known (set by the pipeline). */
  cost: CallCostSchema.optional(),
  /** Why the router chose this provider/model (routed calls only). */
  route: RouteSummarySchema.optional(),
});
export type LLMResponse = z.infer<typeof LLMResponseSchema>;

/** Builds a `Usage` with the total filled in. */
export function makeUsage(
  inputTokens: number,
  outputTokens: number,
  source: Usage['source'] = 'reported',
  extra: Pick<Usage, 'cacheReadTokens' | 'cacheWriteTokens'> = {},
): Usage {
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, source, ...extra };
}
