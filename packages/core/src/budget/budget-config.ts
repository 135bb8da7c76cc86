import { z } from 'zod';

/**
 * One spending limit. It applies to the calls whose provider, model (a prefix of the model id) and
 * tag match every one it sets; none set: every call. Periods are `calendar` (UTC day, ISO week from
 * Monday, month) or `rolling` (the last 24 hours, 7 days, 30 days).
 */
export const BudgetSchema = z
  .object({
    /** Shown by `autoarr-llm budget` and in `BudgetExceededError`; defaults to its scope and period. */
    name: z.string().min(1).optional(),
    provider: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    /** A tag from `budgets.tags`. */
    tag: z.string().min(1).optional(),
    period: z.enum(['day', 'week', 'month']),
    window: z.enum(['calendar', 'rolling']).default('calendar'),
    limit: z.number().positive(),
    currency: z.string().default('USD'),
  })
  .strict();
export type Budget = z.output<typeof BudgetSchema>;

/** `budgets` in the config: the limits, tags, and the output assumed when a call sets no `maxTokens`. */
export const BudgetsConfigSchema = z
  .object({
    limits: z.array(BudgetSchema).default([]),
    /** Tag name → `provider` or `provider/model-prefix` patterns it covers: `{ cloud: ['claude'] }`. */
    tags: z.record(z.string(), z.array(z.string().min(1))).default({}),
    /** The worst-case output reserved for a call without `maxTokens`. */
    assumeMaxTokens: z.number().int().positive().default(4_096),
  })
  .strict();
export type BudgetsConfig = z.output<typeof BudgetsConfigSchema>;
export type BudgetsConfigInput = z.input<typeof BudgetsConfigSchema>;
