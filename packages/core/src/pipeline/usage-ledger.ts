import type { Usage } from '../contract/response.js';
import type { PipelineConfig } from './pipeline-config.js';

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

/**
 * Tokens and cost per provider and model, correct for streams too (a cut stream is recorded with
 * estimated usage, never as zero). Keeps totals for every call and the last `ledgerEntries` records.
 */
export class UsageLedger {
  readonly #prices: PipelineConfig['prices'];
  readonly #max: number;
  // A ring buffer: keeping the last N records must cost the same at request 100 000 as at 10.
  readonly #entries: LedgerEntry[] = [];
  #next = 0;
  readonly #totals = new Map<string, LedgerTotals>();
  // Totals and price per provider, then model: found without building the `provider/model` key per call.
  readonly #slots = new Map<string, Map<string, { totals: LedgerTotals; price: PipelineConfig['prices'][string] | undefined }>>();

  constructor(prices: PipelineConfig['prices'], maxEntries: number) {
    this.#prices = prices;
    this.#max = maxEntries;
  }

  record(entry: Omit<LedgerEntry, 'cost' | 'currency' | 'at'>): LedgerEntry {
    let byModel = this.#slots.get(entry.provider);
    if (!byModel) {
      byModel = new Map();
      this.#slots.set(entry.provider, byModel);
    }
    let slot = byModel.get(entry.model);
    if (!slot) {
      const key = `${entry.provider}/${entry.model}`;
      const found = this.#prices[key] ?? this.#prices[entry.provider];
      slot = { totals: { requests: 0, inputTokens: 0, outputTokens: 0, estimatedTokens: 0, cost: 0, currency: found?.currency }, price: found };
      byModel.set(entry.model, slot);
      this.#totals.set(key, slot.totals);
    }
    const price = slot.price;
    // A cached answer cost nothing this time.
    const cost = price && !entry.cached ? (entry.inputTokens * price.inputPerMillion + entry.outputTokens * price.outputPerMillion) / 1_000_000 : price ? 0 : undefined;
    // Written out, not spread: this runs on every call (see provider/with-signal.ts).
    const full: LedgerEntry = {
      at: Date.now(),
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
    if (this.#entries.length < this.#max) this.#entries.push(full);
    else this.#entries[this.#next] = full;
    this.#next = (this.#next + 1) % this.#max;
    const t = slot.totals;
    t.requests++;
    if (!entry.cached) {
      t.inputTokens += entry.inputTokens;
      t.outputTokens += entry.outputTokens;
      if (entry.usageSource === 'estimated') t.estimatedTokens += entry.inputTokens + entry.outputTokens;
      t.cost += cost ?? 0;
    }
    return full;
  }

  /** The most recent records, oldest first. */
  entries(): readonly LedgerEntry[] {
    return this.#entries.length < this.#max ? [...this.#entries] : [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
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
}
