import { envNumber, secretString } from '@autoarr-llm/core';
import { z } from 'zod';

/** llama-server's default address; vLLM listens on :8000/v1 and LM Studio on :1234/v1. */
export const DEFAULT_OPENAI_COMPATIBLE_BASE_URL = 'http://127.0.0.1:8080/v1';
/** Milliseconds until the server starts answering, and between two streamed chunks. */
export const DEFAULT_OPENAI_COMPATIBLE_TIMEOUT_MS = 120_000;
/** Milliseconds the availability and health checks (GET /models) may take. */
export const DEFAULT_OPENAI_COMPATIBLE_CHECK_TIMEOUT_MS = 3_000;

/**
 * The environment variables the plugin reads, and the setting each one fills. Core applies this
 * mapping (the plugin's `env`), so an app configures the provider without writing code.
 */
export const OPENAI_COMPATIBLE_ENV = {
  OPENAI_COMPATIBLE_BASE_URL: 'baseUrl',
  OPENAI_COMPATIBLE_API_KEY: 'apiKey',
  OPENAI_COMPATIBLE_MODEL: 'model',
  OPENAI_COMPATIBLE_TIMEOUT: 'timeout',
} as const;

const milliseconds = () => envNumber().pipe(z.number().int('expected whole milliseconds').positive('expected a positive number of milliseconds'));

export const OpenAICompatibleSettingsSchema = z.object({
  /** The API root including `/v1` (`OPENAI_COMPATIBLE_BASE_URL`). */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://127.0.0.1:8080/v1' })
    .transform((u) => u.replace(/\/+$/, ''))
    .default(DEFAULT_OPENAI_COMPATIBLE_BASE_URL),
  /**
   * Sent as `Authorization: Bearer …` (`OPENAI_COMPATIBLE_API_KEY`). Optional: local servers
   * usually need none. Held in a `Secret`, so it is masked wherever settings are printed.
   */
  apiKey: secretString().optional(),
  /**
   * The model id sent with each call (`OPENAI_COMPATIBLE_MODEL`). Optional: when unset, the first
   * model the server lists is used (llama-server and LM Studio serve one model at a time).
   */
  model: z.string().trim().min(1, 'expected a model id such as qwen2.5-7b-instruct').optional(),
  /** `OPENAI_COMPATIBLE_TIMEOUT`, in milliseconds. */
  timeout: milliseconds().default(DEFAULT_OPENAI_COMPATIBLE_TIMEOUT_MS),
  /** Milliseconds the availability and health checks may take. */
  checkTimeout: milliseconds().default(DEFAULT_OPENAI_COMPATIBLE_CHECK_TIMEOUT_MS),
});

/** Settings as written in config files, env vars or code. */
export type OpenAICompatibleSettingsInput = z.input<typeof OpenAICompatibleSettingsSchema>;
/** Settings after validation and defaults. */
export type OpenAICompatibleSettings = z.output<typeof OpenAICompatibleSettingsSchema>;
