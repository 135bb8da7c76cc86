import { z } from 'zod';

export const ModelCapabilitiesSchema = z.object({
  streaming: z.boolean(),
  tools: z.boolean(),
  vision: z.boolean(),
  /** Structured (JSON / JSON Schema) output. */
  json: z.boolean(),
});
export type ModelCapabilities = z.infer<typeof ModelCapabilitiesSchema>;

export const ModelInfoSchema = z.object({
  id: z.string(),
  provider: z.string(),
  displayName: z.string().optional(),
  /** Context window in tokens, where known. */
  contextLength: z.number().int().positive().optional(),
  capabilities: ModelCapabilitiesSchema,
  /** Provider-specific facts (size on disk, family, quantization, …). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;
