import { z } from 'zod';
import { ResponseFormatSchema, ToolChoiceSchema, ToolDefinitionSchema } from './tool.js';

/** The temperature used when a call does not set one (the seed's default). */
export const DEFAULT_TEMPERATURE = 0.7;

export const CallOptionsSchema = z.object({
  /** Model id; the provider's configured default when absent. */
  model: z.string().min(1).optional(),
  temperature: z.number().min(0).max(2).default(DEFAULT_TEMPERATURE),
  maxTokens: z.number().int().positive().optional(),
  stop: z.array(z.string().min(1)).optional(),
  tools: z.array(ToolDefinitionSchema).optional(),
  toolChoice: ToolChoiceSchema.optional(),
  responseFormat: ResponseFormatSchema.optional(),
  /** Cancels the call; the provider stops generation on the backend. */
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal').optional(),
  /** Overall deadline of this call in milliseconds. */
  timeout: z.number().int().positive().optional(),
  /** `false`: bypass the response cache for this call (when the pipeline's cache is enabled). */
  cache: z.boolean().optional(),
  /**
   * Free-form labels recorded with the call in the call log and telemetry (a feature name, a
   * user or session key): filter `autoarr-llm logs --tag feature=audit` by them.
   */
  tags: z.record(z.string(), z.string()).optional(),
  /** What the call log keeps of this call's content, over the configured `log.content`. */
  logContent: z.enum(['full', 'metadata']).optional(),
  /** Provider-specific options, namespaced by provider name: `{ ollama: { keepAlive: '5m' } }`. */
  providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

/** Per-call options as callers write them (every field optional). */
export type CallOptions = z.input<typeof CallOptionsSchema>;
/** Per-call options after validation and defaults (what providers receive). */
export type ResolvedCallOptions = z.output<typeof CallOptionsSchema>;
