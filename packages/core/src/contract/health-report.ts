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
  details: z.record(z.string(), z.unknown()).optional(),
});
export type HealthReport = z.infer<typeof HealthReportSchema>;
