import { envDurationMs, envNumber, secretString } from '@autoarr-llm/core';
import { z } from 'zod';

/** The model used when neither the settings nor the call name one: the current Sonnet. */
export const DEFAULT_CLAUDE_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_CLAUDE_BASE_URL = 'https://api.anthropic.com';
export const DEFAULT_CLAUDE_MAX_TOKENS = 4096;
/** Per-request timeout (ms) until the API starts answering; a call's own `timeout` bounds the whole call. */
export const DEFAULT_CLAUDE_TIMEOUT_MS = 120_000;
/** How long `isAvailable` / `healthCheck` / `getModels` wait for the Models API. */
export const DEFAULT_CLAUDE_CHECK_TIMEOUT_MS = 3_000;

/** Environment variables the plugin reads, and the settings key each fills (the first listed wins). */
export const CLAUDE_ENV = {
  CLAUDE_API_KEY: 'apiKey',
  ANTHROPIC_API_KEY: 'apiKey',
  CLAUDE_MODEL: 'model',
  CLAUDE_MAX_TOKENS: 'maxTokens',
  CLAUDE_BASE_URL: 'baseUrl',
  // What the Anthropic SDK itself reads: an app moving off the SDK keeps its endpoint.
  ANTHROPIC_BASE_URL: 'baseUrl',
  CLAUDE_TIMEOUT: 'timeout',
  CLAUDE_API_VERSION: 'apiVersion',
} as const;

const positiveInt = () => envNumber().pipe(z.number().int().positive());

export const ClaudeSettingsSchema = z.object({
  /** Anthropic API key. Optional on purpose: without one the provider exists but reports itself unavailable. */
  apiKey: secretString().optional(),
  model: z.string().trim().min(1).default(DEFAULT_CLAUDE_MODEL),
  maxTokens: positiveInt().default(DEFAULT_CLAUDE_MAX_TOKENS),
  baseUrl: z
    .url()
    .transform((u) => u.replace(/\/+$/, ''))
    .default(DEFAULT_CLAUDE_BASE_URL),
  /** Milliseconds (at most 2^31-1, the longest timer Node can set). */
  timeout: envDurationMs().default(DEFAULT_CLAUDE_TIMEOUT_MS),
  /** Milliseconds the availability and health checks may take. */
  checkTimeout: envDurationMs().default(DEFAULT_CLAUDE_CHECK_TIMEOUT_MS),
  /**
   * The `anthropic-version` header. Unset: the SDK's own (2026-10-21), which rejects `temperature`,
   * so the provider leaves it out. Set an older version (`2023-06-01`) to have temperature sent.
   */
  apiVersion: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an API version date such as 2023-06-01')
    .optional(),
});

/** Settings as written (env strings, numbers, a plain key or a `Secret`). */
export type ClaudeSettingsInput = z.input<typeof ClaudeSettingsSchema>;
/** Settings after validation and defaults. */
export type ClaudeSettings = z.output<typeof ClaudeSettingsSchema>;
