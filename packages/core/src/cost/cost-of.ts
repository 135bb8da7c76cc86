import type { Price } from './price.js';

/** Tokens of one call, as far as they bill differently. */
export interface BilledTokens {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number | undefined;
  cacheWriteTokens?: number | undefined;
}

/** The cost of a call's tokens at a price (cache reads and writes at their own rate when priced). */
export function costOf(price: Price, tokens: BilledTokens): number {
  let cost = tokens.inputTokens * price.inputPerMillion + tokens.outputTokens * price.outputPerMillion;
  if (tokens.cacheReadTokens) cost += tokens.cacheReadTokens * (price.cacheReadPerMillion ?? price.inputPerMillion);
  if (tokens.cacheWriteTokens) cost += tokens.cacheWriteTokens * (price.cacheWritePerMillion ?? price.inputPerMillion);
  return cost / 1_000_000;
}
