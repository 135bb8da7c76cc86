/** A value now, or later (a shared store answers over the network). */
export type MaybePromise<T> = T | Promise<T>;

/** One budget a reservation must fit in: its id, the start of its current window, its limit. */
export interface SpendClaim {
  budget: string;
  /** Epoch ms: spend before this no longer counts. */
  since: number;
  limit: number;
}

/** Spend and reservations of one budget in a window. */
export interface SpendUsage {
  spent: number;
  reserved: number;
}

/**
 * Where budgets keep what was spent and what is reserved. The in-memory store is the default; a
 * persistent or shared one (a database, Redis) implements the same contract. `tryReserve` must be
 * atomic across every claim: either all budgets take the reservation, or none does.
 */
export interface SpendStore {
  /** Reserves `amount` on every claim if each stays within its limit; -1 when done, else the index of the first claim that refused. */
  tryReserve(claims: readonly SpendClaim[], amount: number): MaybePromise<number>;
  /** Turns a reservation into spend: `reserved` comes off, `actual` is added at `at`. */
  settle(claims: readonly SpendClaim[], reserved: number, actual: number, at: number): MaybePromise<void>;
  /** Drops a reservation (the call failed and cost nothing). */
  release(claims: readonly SpendClaim[], reserved: number): MaybePromise<void>;
  /** Spend since `since`, and what is reserved now. */
  usage(budget: string, since: number): MaybePromise<SpendUsage>;
  /** Adds spend that happened earlier (a call log read at start-up), at its own time. */
  add(budget: string, at: number, amount: number): MaybePromise<void>;
}
