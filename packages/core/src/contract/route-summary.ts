import { z } from 'zod';

/**
 * Why a routed call went where it went (on the response and in the call event). `chosen` is the
 * `provider/model` that answered; `reason` says in words which features set the tier and why the
 * candidates before it were passed over.
 */
export const RouteSummarySchema = z.object({
  tier: z.string(),
  score: z.number(),
  chosen: z.string(),
  reason: z.string(),
  /** Candidates passed over before `chosen`, each with why (capability, budget, failure). */
  skipped: z.array(z.object({ candidate: z.string(), reason: z.string() })),
});
export type RouteSummary = z.infer<typeof RouteSummarySchema>;

/** The cost of one call; `estimated` when its usage was (a cut stream, a backend without totals). */
export const CallCostSchema = z.object({
  amount: z.number().nonnegative(),
  currency: z.string(),
  source: z.enum(['reported', 'estimated']),
});
export type CallCost = z.infer<typeof CallCostSchema>;
