import type { Prices } from './price.js';

// Anthropic's list prices (USD per million tokens). Cache reads bill at 0.1x the input price and
// 5-minute cache writes at 1.25x. A key is also a prefix: `claude/claude-sonnet-4-5` prices the
// dated `claude-sonnet-4-5-20250929` as well.
const claude = (input: number, output: number) => ({ inputPerMillion: input, outputPerMillion: output, cacheReadPerMillion: input / 10, cacheWritePerMillion: input * 1.25, currency: 'USD' });

/**
 * The price table used when the config names none for a provider/model. Local backends cost
 * nothing by default (price them in config, e.g. by electricity, to route on it).
 */
export const DEFAULT_PRICES: Readonly<Prices> = Object.freeze({
  // Opus from 4.5 on, Sonnet and Haiku from 4.5 on: the list prices Anthropic has kept since.
  'claude/claude-opus-5': claude(5, 25),
  'claude/claude-opus-4-5': claude(5, 25),
  'claude/claude-opus-4-6': claude(5, 25),
  'claude/claude-opus-4-7': claude(5, 25),
  'claude/claude-opus-4-8': claude(5, 25),
  'claude/claude-opus-4-1': claude(15, 75),
  'claude/claude-opus-4-0': claude(15, 75),
  'claude/claude-sonnet-5': claude(3, 15),
  'claude/claude-sonnet-4': claude(3, 15),
  'claude/claude-haiku-5': claude(1, 5),
  'claude/claude-haiku-4-5': claude(1, 5),
  'claude/claude-3-5-haiku': claude(0.8, 4),
  ollama: { inputPerMillion: 0, outputPerMillion: 0, currency: 'USD' },
  custom: { inputPerMillion: 0, outputPerMillion: 0, currency: 'USD' },
});
