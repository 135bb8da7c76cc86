import { z } from 'zod';
import { envBoolean, envDurationMs, envNumber } from '../config/env-schemas.js';
import { PricesSchema } from '../cost/price.js';

const ms = envDurationMs;
const count = () => envNumber().pipe(z.number().int().positive());

/** Deadlines, retries and rate limits for one provider (or, under `pipeline.defaults`, for all). */
export const ProviderPolicySchema = z
  .object({
    /** Deadline of one attempt of a non-streamed call. */
    attemptTimeoutMs: ms().optional(),
    /** Deadline from the start of a streamed attempt to its first chunk. */
    firstChunkTimeoutMs: ms().optional(),
    /** Longest silence between two chunks of a stream. */
    idleTimeoutMs: ms().optional(),
    /** Attempts on this provider per call, the first included (1: no retry). */
    maxAttempts: count().optional(),
    /** Token-bucket limits, per minute. */
    requestsPerMinute: count().optional(),
    tokensPerMinute: count().optional(),
  })
  .strict();
export type ProviderPolicy = z.output<typeof ProviderPolicySchema>;

/** The resilience and performance pipeline (`pipeline` in the config file). */
export const PipelineConfigSchema = z
  .object({
    enabled: envBoolean().default(true),
    /** One deadline for a whole call: every retry and every provider of the chain share it. */
    deadlineMs: ms().default(300_000),
    retry: z
      .object({
        baseDelayMs: ms().default(250),
        maxDelayMs: ms().default(4_000),
        /** A `retry-after` longer than this moves to the next provider instead of waiting. */
        maxRetryAfterMs: ms().default(20_000),
      })
      .strict()
      .prefault({}),
    breaker: z
      .object({
        /** Consecutive failures (outages, overload, timeouts) that open the breaker. */
        failureThreshold: count().default(5),
        /** How long an open breaker skips the provider before a half-open probe (its healthCheck). */
        cooldownMs: ms().default(30_000),
      })
      .strict()
      .prefault({}),
    /** Policy for every provider; `providers.<name>` overrides it key by key. */
    defaults: ProviderPolicySchema.prefault({}),
    providers: z.record(z.string(), ProviderPolicySchema).default({}),
    cache: z
      .object({
        enabled: envBoolean().default(false),
        maxEntries: count().default(500),
        ttlMs: ms().default(600_000),
        /** Also cache answers to calls with temperature > 0 (they are not deterministic). */
        nonZeroTemperature: envBoolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Identical non-streamed calls in flight at once share one backend request. */
    coalesce: envBoolean().default(true),
    /**
     * Prices per million tokens, keyed `provider/model` or `provider`. Kept for existing configs:
     * the top-level `prices` key is the place for them, and wins over this one key by key.
     */
    prices: PricesSchema.default({}),
    /** How many call records the ledger keeps (totals are kept for all). */
    ledgerEntries: count().default(1_000),
  })
  .strict();

export type PipelineConfig = z.output<typeof PipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;

/** Defaults when a provider's policy leaves a key unset. */
export const DEFAULT_POLICY = { maxAttempts: 3, idleTimeoutMs: 60_000 } as const;

/** The effective policy of one provider. */
export function policyFor(config: PipelineConfig, provider: string): ProviderPolicy & { maxAttempts: number } {
  const merged = { ...DEFAULT_POLICY, ...stripUndefined(config.defaults), ...stripUndefined(config.providers[provider] ?? {}) };
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
