import { z } from 'zod';

/**
 * What one provider/model costs, per million tokens. Cache reads and writes default to the input
 * price when a backend's table has no separate figure for them.
 */
export const PriceSchema = z
  .object({
    inputPerMillion: z.number().nonnegative(),
    outputPerMillion: z.number().nonnegative(),
    cacheReadPerMillion: z.number().nonnegative().optional(),
    cacheWritePerMillion: z.number().nonnegative().optional(),
    currency: z.string().default('USD'),
  })
  .strict();
export type Price = z.output<typeof PriceSchema>;
export type PriceInput = z.input<typeof PriceSchema>;

/** Prices keyed `provider/model`, `provider/model-prefix` or `provider`. */
export const PricesSchema = z.record(z.string(), PriceSchema);
export type Prices = Record<string, Price>;
