import { envBoolean, envNumber, MAX_TIMER_MS } from '@autoarr-llm/core';
import { z } from 'zod';

/** Models we name in docs and defaults; any other Ollama tag still type-checks. */
export type OllamaModelId = 'qwen2.5:7b' | 'llama3.2' | 'llama3.1:8b' | 'mistral' | 'gemma3' | 'llava' | (string & {});

export const OLLAMA_DEFAULTS = {
  baseUrl: 'http://localhost:11434',
  model: 'qwen2.5:7b',
  timeout: 120,
  autoDownload: true,
  keepAlive: '5m',
  modelLoadTimeout: 300,
} as const;

/** The environment variables the plugin reads, and the setting each one fills. */
export const OLLAMA_ENV = {
  OLLAMA_URL: 'baseUrl',
  OLLAMA_MODEL: 'model',
  OLLAMA_TIMEOUT: 'timeout',
  OLLAMA_AUTO_DOWNLOAD: 'autoDownload',
  OLLAMA_KEEP_ALIVE: 'keepAlive',
  OLLAMA_MODEL_LOAD_TIMEOUT: 'modelLoadTimeout',
} as const;

// Go durations as Ollama parses them ("5m", "1h30m", "-1"), or plain seconds.
const DURATION = /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

const seconds = (what: string) =>
  envNumber().pipe(
    z
      .number()
      .positive(`${what} must be a positive number of seconds`)
      // Longer waits overflow Node's timers, which then fire at once: every call would time out.
      .max(MAX_TIMER_MS / 1000, `${what} must be at most ${Math.floor(MAX_TIMER_MS / 1000)} seconds (about 24.8 days), the longest timer Node can set`),
  );

export const OllamaSettingsSchema = z.object({
  /** Where the Ollama daemon listens (`OLLAMA_URL`). */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://localhost:11434' })
    .transform((u) => u.replace(/\/+$/, ''))
    .default(OLLAMA_DEFAULTS.baseUrl),
  /** The default model tag (`OLLAMA_MODEL`). */
  model: z.string().trim().min(1, 'expected a model tag such as qwen2.5:7b').default(OLLAMA_DEFAULTS.model),
  /** Seconds a loaded model may take to answer (per chunk while streaming) (`OLLAMA_TIMEOUT`). */
  timeout: seconds('timeout').default(OLLAMA_DEFAULTS.timeout),
  /** Pull a missing model on first use (`OLLAMA_AUTO_DOWNLOAD`). */
  autoDownload: envBoolean().default(OLLAMA_DEFAULTS.autoDownload),
  /** How long Ollama keeps the model in memory after a call: a duration (`5m`, `-1` forever) or seconds (`OLLAMA_KEEP_ALIVE`). */
  keepAlive: z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .refine((s) => DURATION.test(s) || /^-?\d+(\.\d+)?$/.test(s), 'expected a duration such as 5m, 1h or -1, or a number of seconds')
        .transform((s) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s)),
    ], { error: 'expected a duration such as 5m, 1h or -1, or a number of seconds' })
    .default(OLLAMA_DEFAULTS.keepAlive),
  /** Seconds a cold model may take to load before its first token (`OLLAMA_MODEL_LOAD_TIMEOUT`). */
  modelLoadTimeout: seconds('modelLoadTimeout').default(OLLAMA_DEFAULTS.modelLoadTimeout),
});

/** Settings as written in config files, env vars or code. */
export type OllamaSettingsInput = z.input<typeof OllamaSettingsSchema>;
/** Settings after validation and defaults. */
export type OllamaSettings = z.output<typeof OllamaSettingsSchema>;
