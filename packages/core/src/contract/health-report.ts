import { z } from 'zod';

export const HealthReportSchema = z.object({
  provider: z.string(),
  /** `ok`: ready to serve; `degraded`: reachable but not ready (model loading or missing); `down`: cannot serve. */
  status: z.enum(['ok', 'degraded', 'down']),
  reachable: z.boolean(),
  authenticated: z.boolean().optional(),
  model: z
    .object({
      id: z.string(),
      present: z.boolean(),
      loaded: z.boolean().optional(),
    })
    .optional(),
  latencyMs: z.number().nonnegative(),
  /** Why the provider is not `ok`, in words a user can act on. */
  reason: z.string().optional(),
  /**
   * Provider-specific facts. One key has a shared meaning: `cold: true`, a local model that is
   * installed but not in memory (loading, or loaded by the next call, which waits for it); the
   * status stays `ok`, and `doctor`/`providers` show the provider as cold.
   */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;
