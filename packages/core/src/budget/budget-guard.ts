import type { Price } from '../cost/price.js';
import type { PriceTable } from '../cost/price-table.js';
import { costOf } from '../cost/cost-of.js';
import type { BudgetRefusal } from '../errors/budget-exceeded-error.js';
import type { Budget, BudgetsConfig } from './budget-config.js';
import { MemorySpendStore } from './memory-spend-store.js';
import type { MaybePromise, SpendClaim, SpendStore } from './spend-store.js';
import { windowEnd, windowStart } from './window-start.js';

interface Compiled {
  id: string;
  budget: Budget;
}

/** A reservation held for one call on one `provider/model`; settle or release it exactly once. */
export interface BudgetReservation {
  claims: SpendClaim[];
  amount: number;
  price: Price | undefined;
}

/** One budget's state for `autoarr-llm budget`. */
export interface BudgetStatus {
  name: string;
  scope: { provider?: string; model?: string; tag?: string };
  period: Budget['period'];
  window: Budget['window'];
  since: string;
  resets: string | undefined;
  limit: number;
  spent: number;
  reserved: number;
  remaining: number;
  currency: string;
}

/** One earlier call's cost (from a call log), to seed the store at start-up. */
export interface SpendEntry {
  at: number;
  provider: string;
  model: string;
  cost: number;
}

/**
 * Enforces `budgets`: before a call it reserves the worst-case cost (the prompt estimate plus
 * `maxTokens` of output) on every budget that covers the `provider/model`; after it, settles the
 * real cost; on failure, releases the reservation. A call whose reservation does not fit is refused
 * here, before anything is sent.
 */
export class BudgetGuard {
  readonly store: SpendStore;
  readonly config: BudgetsConfig;
  readonly #prices: PriceTable;
  readonly #budgets: Compiled[];
  readonly #now: () => number;
  /** Budgets covering each provider, then model (found once, not per call). */
  readonly #covering = new Map<string, Map<string, Compiled[]>>();

  constructor(config: BudgetsConfig, prices: PriceTable, store: SpendStore = new MemorySpendStore(), now: () => number = Date.now) {
    this.config = config;
    this.store = store;
    this.#prices = prices;
    this.#now = now;
    this.#budgets = config.limits.map((budget, i) => ({ id: budget.name ?? `#${i + 1} ${describe(budget)}`, budget }));
  }

  /** Whether any budget covers `provider/model`. */
  covers(provider: string, model: string): boolean {
    return this.#covering_(provider, model).length > 0;
  }

  /** The worst-case cost of a call: `inputTokens` and `maxTokens` (or `assumeMaxTokens`) at the model's price. */
  worstCase(provider: string, model: string, inputTokens: number, maxTokens: number | undefined): number {
    const price = this.#prices.priceFor(provider, model);
    return price ? costOf(price, { inputTokens, outputTokens: maxTokens ?? this.config.assumeMaxTokens }) : 0;
  }

  /**
   * Reserves `amount` for a call to `provider/model`: the reservation, or the refusal of the first
   * budget it would exceed. Synchronous with a synchronous store.
   */
  reserve(provider: string, model: string, amount: number): MaybePromise<BudgetReservation | BudgetRefusal> {
    const covering = this.#covering_(provider, model);
    if (covering.length === 0) return { claims: [], amount: 0, price: undefined };
    const now = this.#now();
    const claims: SpendClaim[] = new Array(covering.length);
    for (let i = 0; i < covering.length; i++) {
      const c = covering[i] as Compiled;
      claims[i] = { budget: c.id, since: windowStart(c.budget.period, c.budget.window, now), limit: c.budget.limit };
    }
    const price = this.#prices.priceFor(provider, model);
    const outcome = this.store.tryReserve(claims, amount);
    // The synchronous store's common case allocates no closure: the reservation is returned as is.
    if (typeof outcome === 'number') return outcome < 0 ? { claims, amount, price } : this.#refusal(covering[outcome] as Compiled, claims[outcome] as SpendClaim, `${provider}/${model}`, amount);
    return outcome.then((refused): MaybePromise<BudgetReservation | BudgetRefusal> => (refused < 0 ? { claims, amount, price } : this.#refusal(covering[refused] as Compiled, claims[refused] as SpendClaim, `${provider}/${model}`, amount)));
  }

  /** Settles a reservation with the real cost of the call. */
  settle(reservation: BudgetReservation, actual: number): MaybePromise<void> {
    if (reservation.claims.length === 0) return;
    return this.store.settle(reservation.claims, reservation.amount, actual, this.#now());
  }

  /** Releases a reservation (the call cost nothing). */
  release(reservation: BudgetReservation): MaybePromise<void> {
    if (reservation.claims.length === 0) return;
    return this.store.release(reservation.claims, reservation.amount);
  }

  /** Adds earlier spend (each entry to every budget covering it): how spend survives a restart. */
  async seed(entries: Iterable<SpendEntry>): Promise<void> {
    for (const e of entries) for (const c of this.#covering_(e.provider, e.model)) await this.store.add(c.id, e.at, e.cost);
  }

  /** Every budget with its spend, reservations and what is left, now. */
  async status(): Promise<BudgetStatus[]> {
    const now = this.#now();
    const out: BudgetStatus[] = [];
    for (const { id, budget: b } of this.#budgets) {
      const since = windowStart(b.period, b.window, now);
      const u = await this.store.usage(id, since);
      const resets = windowEnd(b.period, b.window, now);
      out.push({
        name: id,
        scope: { ...(b.provider ? { provider: b.provider } : {}), ...(b.model ? { model: b.model } : {}), ...(b.tag ? { tag: b.tag } : {}) },
        period: b.period,
        window: b.window,
        since: new Date(since).toISOString(),
        resets: resets === undefined ? undefined : new Date(resets).toISOString(),
        limit: b.limit,
        spent: u.spent,
        reserved: u.reserved,
        remaining: Math.max(0, b.limit - u.spent - u.reserved),
        currency: b.currency,
      });
    }
    return out;
  }

  async #refusal(c: Compiled, claim: SpendClaim, candidate: string, amount: number): Promise<BudgetRefusal> {
    const u = await this.store.usage(c.id, claim.since);
    return { budget: c.id, candidate, limit: c.budget.limit, spent: u.spent, reserved: u.reserved, needed: amount, currency: c.budget.currency };
  }

  #covering_(provider: string, model: string): Compiled[] {
    let byModel = this.#covering.get(provider);
    if (!byModel) {
      byModel = new Map();
      this.#covering.set(provider, byModel);
    }
    let found = byModel.get(model);
    if (!found) {
      found = this.#budgets.filter(({ budget: b }) => {
        if (b.provider !== undefined && b.provider !== provider) return false;
        if (b.model !== undefined && !model.startsWith(b.model)) return false;
        if (b.tag !== undefined && !(this.config.tags[b.tag] ?? []).some((p) => matches(p, provider, model))) return false;
        return true;
      });
      byModel.set(model, found);
    }
    return found;
  }
}

function matches(pattern: string, provider: string, model: string): boolean {
  const slash = pattern.indexOf('/');
  if (slash === -1) return pattern === provider;
  return pattern.slice(0, slash) === provider && model.startsWith(pattern.slice(slash + 1));
}

function describe(b: Budget): string {
  const scope = [b.provider, b.model, b.tag ? `tag ${b.tag}` : undefined].filter(Boolean).join(' ') || 'all calls';
  return `${scope} per ${b.window === 'rolling' ? 'rolling ' : ''}${b.period}`;
}
