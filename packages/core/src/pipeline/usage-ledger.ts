import type { Usage } from '../contract/response.js';
import { costOf } from '../cost/cost-of.js';
import type { Price, Prices } from '../cost/price.js';
import { PriceTable } from '../cost/price-table.js';

/** One call's cost record. */
export interface LedgerEntry {
  at: number;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** `reported` by the backend, or `estimated` (e.g. a stream cut before the backend sent totals). */
  usageSource: Usage['source'];
  /** In `currency`; undefined when no price is configured for this provider/model. */
  cost: number | undefined;
  currency: string | undefined;
  streamed: boolean;
  cached: boolean;
}

export interface LedgerTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Tokens of calls whose usage was estimated, not reported. */
  estimatedTokens: number;
  cost: number;
  currency: string | undefined;
}

interface Slot {
  provider: string;
  model: string;
  totals: LedgerTotals;
  price: Price | undefined;
}

const STREAMED = 1;
const CACHED = 2;
const ESTIMATED = 4;

/**
 * Tokens and cost per provider and model, correct for streams too (a cut stream is recorded with
 * estimated usage, never as zero). Keeps totals for every call and the last `ledgerEntries` records.
 */
export class UsageLedger {
  readonly #prices: PriceTable;
  readonly #max: number;
  // The last records as a ring buffer of columns: recording a call must cost the same at request
  // 100 000 as at 10, and keeps no object per call (an object held for a thousand calls outlives
  // the young generation and is collected later, at a higher price, as old garbage).
  #capacity = 0;
  #at = new Float64Array(0);
  #input = new Float64Array(0);
  #output = new Float64Array(0);
  #cost = new Float64Array(0);
  #slotOf = new Int32Array(0);
  #flags = new Uint8Array(0);
  #count = 0;
  #next = 0;
  readonly #slotList: Slot[] = [];
  readonly #totals = new Map<string, LedgerTotals>();
  // Totals and price per provider, then model: found without building the `provider/model` key per call.
  readonly #slots = new Map<string, Map<string, number>>();

  /** `prices`: a price table, or a plain `provider/model` record used without the default prices. */
  constructor(prices: PriceTable | Prices, maxEntries: number) {
    this.#prices = prices instanceof PriceTable ? prices : new PriceTable(prices, {});
    this.#max = Math.max(0, Math.floor(maxEntries));
  }

  /** The price table costs are computed with. */
  get prices(): PriceTable {
    return this.#prices;
  }

  record(entry: Omit<LedgerEntry, 'cost' | 'currency' | 'at'> & { cacheReadTokens?: number | undefined; cacheWriteTokens?: number | undefined }): LedgerEntry {
    const index = this.#slotIndex(entry.provider, entry.model);
    const slot = this.#slotList[index] as Slot;
    const price = slot.price;
    // A cached answer cost nothing this time.
    const cost = price && !entry.cached ? costOf(price, entry) : price ? 0 : undefined;
    const at = Date.now();
    if (this.#max > 0) {
      if (this.#count === this.#capacity && this.#capacity < this.#max) this.#grow();
      const i = this.#next;
      this.#at[i] = at;
      this.#input[i] = entry.inputTokens;
      this.#output[i] = entry.outputTokens;
      this.#cost[i] = cost ?? Number.NaN;
      this.#slotOf[i] = index;
      this.#flags[i] = (entry.streamed ? STREAMED : 0) | (entry.cached ? CACHED : 0) | (entry.usageSource === 'estimated' ? ESTIMATED : 0);
      this.#next = (i + 1) % this.#max;
      if (this.#count < this.#max) this.#count++;
    }
    const t = slot.totals;
    t.requests++;
    if (!entry.cached) {
      t.inputTokens += entry.inputTokens;
      t.outputTokens += entry.outputTokens;
      if (entry.usageSource === 'estimated') t.estimatedTokens += entry.inputTokens + entry.outputTokens;
      t.cost += cost ?? 0;
    }
    // Written out, not spread: this runs on every call (see provider/with-signal.ts).
    return {
      at,
      provider: entry.provider,
      model: entry.model,
      inputTokens: entry.inputTokens,
      outputTokens: entry.outputTokens,
      usageSource: entry.usageSource,
      cost,
      currency: price?.currency,
      streamed: entry.streamed,
      cached: entry.cached,
    };
  }

  /** The most recent records, oldest first. */
  entries(): readonly LedgerEntry[] {
    const out: LedgerEntry[] = [];
    const first = this.#count < this.#max ? 0 : this.#next;
    for (let k = 0; k < this.#count; k++) out.push(this.#entry((first + k) % this.#max));
    return out;
  }

  /** Totals keyed `provider/model`. */
  totals(): ReadonlyMap<string, LedgerTotals> {
    return this.#totals;
  }

  /** Total cost over every provider (in the configured currency; mixed currencies are summed as-is). */
  totalCost(): number {
    let sum = 0;
    for (const t of this.#totals.values()) sum += t.cost;
    return sum;
  }

  #entry(i: number): LedgerEntry {
    const slot = this.#slotList[this.#slotOf[i] as number] as Slot;
    const flags = this.#flags[i] as number;
    const cost = this.#cost[i] as number;
    return {
      at: this.#at[i] as number,
      provider: slot.provider,
      model: slot.model,
      inputTokens: this.#input[i] as number,
      outputTokens: this.#output[i] as number,
      usageSource: flags & ESTIMATED ? 'estimated' : 'reported',
      cost: Number.isNaN(cost) ? undefined : cost,
      currency: slot.price?.currency,
      streamed: (flags & STREAMED) !== 0,
      cached: (flags & CACHED) !== 0,
    };
  }

  #slotIndex(provider: string, model: string): number {
    let byModel = this.#slots.get(provider);
    if (!byModel) {
      byModel = new Map();
      this.#slots.set(provider, byModel);
    }
    let index = byModel.get(model);
    if (index === undefined) {
      const key = `${provider}/${model}`;
      const found = this.#prices.priceFor(provider, model);
      const totals: LedgerTotals = { requests: 0, inputTokens: 0, outputTokens: 0, estimatedTokens: 0, cost: 0, currency: found?.currency };
      index = this.#slotList.push({ provider, model, totals, price: found }) - 1;
      byModel.set(model, index);
      this.#totals.set(key, totals);
    }
    return index;
  }

  /** Columns grow by doubling up to `ledgerEntries`, so a large limit costs memory only once used. */
  #grow(): void {
    const capacity = Math.min(this.#max, Math.max(64, this.#capacity * 2));
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.#at = widen(this.#at, (n) => new Float64Array(n));
    this.#input = widen(this.#input, (n) => new Float64Array(n));
    this.#output = widen(this.#output, (n) => new Float64Array(n));
    this.#cost = widen(this.#cost, (n) => new Float64Array(n));
    this.#slotOf = widen(this.#slotOf, (n) => new Int32Array(n));
    this.#flags = widen(this.#flags, (n) => new Uint8Array(n));
    this.#capacity = capacity;
  }
}
