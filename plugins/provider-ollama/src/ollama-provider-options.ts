import { z } from 'zod';

/** Per-call options under `providerOptions.ollama`. */
export const OllamaCallOptionsSchema = z
  .object({
    /** Overrides the configured keep-alive for this call. */
    keepAlive: z.union([z.string(), z.number()]).optional(),
    /** Extra Modelfile parameters (`num_ctx`, `seed`, `top_k`, …), sent as `options`. */
    options: z.record(z.string(), z.unknown()).optional(),
    /** Ask thinking models to think (`think`). */
    think: z.union([z.boolean(), z.enum(['high', 'medium', 'low'])]).optional(),
  })
  .strict();
export type OllamaCallOptions = z.infer<typeof OllamaCallOptionsSchema>;
