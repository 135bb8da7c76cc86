import type { ModelInfo } from '@autoarr-llm/core';

const ALL = { streaming: true, tools: true, vision: true, json: true } as const;

/**
 * The fallback when the Models API may not be listed (403/404, e.g. keys scoped to Messages only):
 * current Claude models as of @anthropic-ai/sdk 1.13 (November 2026). Context sizes are given only
 * where Anthropic publishes them; `details.source` marks the list as built in.
 */
export const KNOWN_CLAUDE_MODELS: readonly ModelInfo[] = [
  { id: 'claude-sonnet-5-5', displayName: 'Claude Sonnet 5.5' },
  { id: 'claude-opus-5-5', displayName: 'Claude Opus 5.5' },
  { id: 'claude-haiku-5-5', displayName: 'Claude Haiku 5.5' },
  { id: 'claude-sonnet-5', displayName: 'Claude Sonnet 5' },
  { id: 'claude-opus-5', displayName: 'Claude Opus 5' },
  { id: 'claude-opus-4-8', displayName: 'Claude Opus 4.8' },
  { id: 'claude-opus-4-7', displayName: 'Claude Opus 4.7', contextLength: 1_000_000 },
  { id: 'claude-opus-4-6', displayName: 'Claude Opus 4.6' },
  { id: 'claude-sonnet-4-6', displayName: 'Claude Sonnet 4.6', contextLength: 1_000_000 },
  { id: 'claude-haiku-4-5', displayName: 'Claude Haiku 4.5', contextLength: 200_000 },
].map((m) => ({ ...m, provider: 'claude', capabilities: { ...ALL }, details: { source: 'built-in' } }));
