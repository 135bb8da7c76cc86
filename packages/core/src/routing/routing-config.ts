import { z } from 'zod';
import { envBoolean } from '../config/env-schemas.js';

/** A routing candidate, `provider/model` (the model id may hold slashes and colons: `ollama/qwen2.5:7b`). */
const CandidateSchema = z.string().regex(/^[^/\s]+\/\S+$/, 'expected "provider/model", e.g. "ollama/qwen2.5:7b"');

/** Capabilities declared in config for a model its provider does not list (or lists wrongly). */
export const DeclaredModelSchema = z
  .object({
    vision: z.boolean().optional(),
    tools: z.boolean().optional(),
    json: z.boolean().optional(),
    contextLength: z.number().int().positive().optional(),
  })
  .strict();
export type DeclaredModel = z.output<typeof DeclaredModelSchema>;

/**
 * Routing by complexity and capability (`routing` in the config; absent: no routing). Each request
 * is scored from its features; the score picks a tier; the tier's candidates that can serve the
 * request are tried cheapest first, then those of the tiers above.
 */
export const RoutingConfigSchema = z
  .object({
    enabled: envBoolean().default(true),
    /** Candidates per tier, `provider/model`, in order of preference (the cheapest goes first when `costAware`). */
    tiers: z
      .object({
        simple: z.array(CandidateSchema).optional(),
        medium: z.array(CandidateSchema).optional(),
        complex: z.array(CandidateSchema).optional(),
      })
      .strict(),
    /** Scores (0..1) from which a request is `medium` (when that tier is configured) and `complex`. */
    thresholds: z
      .object({
        medium: z.number().min(0).max(1).default(0.3),
        complex: z.number().min(0).max(1).default(0.45),
      })
      .strict()
      .prefault({}),
    /** Within a tier, try the candidate with the lowest expected cost first. */
    costAware: z.boolean().default(true),
    /** Extra signals: a regular expression over the prompt text and what it adds to the score (negative lowers it). */
    patterns: z
      .array(z.object({ pattern: z.string().min(1), flags: z.string().regex(/^[imsu]*$/).default('i'), weight: z.number().min(-1).max(1) }).strict())
      .default([]),
    /** Capabilities of models, keyed `provider/model`, over what their provider reports. */
    models: z.record(z.string(), DeclaredModelSchema).default({}),
    /** A module (package name or path from the app folder) whose default export is a custom router function. */
    router: z.string().min(1).optional(),
  })
  .strict();
export type RoutingConfig = z.output<typeof RoutingConfigSchema>;
export type RoutingConfigInput = z.input<typeof RoutingConfigSchema>;

export const TIERS = ['simple', 'medium', 'complex'] as const;
export type Tier = (typeof TIERS)[number];
