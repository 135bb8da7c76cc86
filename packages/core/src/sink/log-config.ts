import { z } from 'zod';
import { envBoolean, envNumber } from '../config/env-schemas.js';

const count = () => envNumber().pipe(z.number().int().positive());

/** What the call log keeps of a call's content: all of it (secrets scrubbed), or none. */
export const ContentPolicySchema = z.enum(['full', 'metadata']);
export type ContentPolicy = z.output<typeof ContentPolicySchema>;

/** The call log (`log` in the config file; docs/observability.md). */
export const LogConfigSchema = z
  .object({
    /** `AUTOARR_LLM_LOG=off` turns it off. On only where `@autoarr-llm/call-log` is installed. */
    enabled: envBoolean().default(true),
    /** `AUTOARR_LLM_LOG_PATH`: the SQLite file (default: the per-user data folder, see the docs). */
    path: z.string().min(1).optional(),
    /** Prompt and response content: `full` (secrets scrubbed) or `metadata` (none); per call `logContent`. */
    content: ContentPolicySchema.default('full'),
    /** Records waiting to be written; past this, new records are dropped and counted. */
    queueSize: count().default(20_000),
    /** Records per write transaction. */
    batchSize: count().default(500),
    /** How long a record may wait before its batch is written. */
    flushIntervalMs: count().default(200),
  })
  .strict();
export type LogConfig = z.output<typeof LogConfigSchema>;

/** OpenTelemetry spans and metrics (`telemetry` in the config file). */
export const TelemetryConfigSchema = z
  .object({
    /** Spans and metrics when the application registered an OpenTelemetry SDK. */
    enabled: envBoolean().default(true),
    /** Put prompt and response content on spans (off: content never leaves through telemetry). */
    captureContent: envBoolean().default(false),
  })
  .strict();
export type TelemetryConfig = z.output<typeof TelemetryConfigSchema>;
