import { DEFAULT_PRICES } from './default-prices.js';
import type { Price, Prices } from './price.js';

/**
 * Finds the price of a provider/model: the configured table first, then the defaults; in each, the
 * exact `provider/model`, then the longest `provider/<prefix>` of the model id (dated ids such as
 * `claude-sonnet-4-5-20250929`), then `provider`. Lookups are remembered: this runs on every call.
 */
export class PriceTable {
  readonly #layers: readonly Prices[];
  readonly #found = new Map<string, Map<string, Price | undefined>>();
  readonly #dearest = new Map<string, string | undefined>();

  constructor(configured: Prices = {}, defaults: Readonly<Prices> = DEFAULT_PRICES) {
    this.#layers = [configured, defaults];
  }

  priceFor(provider: string, model: string | undefined): Price | undefined {
    let byModel = this.#found.get(provider);
    if (!byModel) {
      byModel = new Map();
      this.#found.set(provider, byModel);
    }
    const key = model ?? '';
    if (byModel.has(key)) return byModel.get(key);
    const price = this.#lookup(provider, model);
    byModel.set(key, price);
    return price;
  }

  /**
   * The provider's most expensive priced model (configured first): what a call that names no model
   * is reserved at, since its default model is known only from the answer.
   */
  dearestModel(provider: string): string | undefined {
    if (this.#dearest.has(provider)) return this.#dearest.get(provider);
    const found = this.#findDearest(provider);
    this.#dearest.set(provider, found);
    return found;
  }

  #findDearest(provider: string): string | undefined {
    for (const layer of this.#layers) {
      let best: [string, number] | undefined;
      for (const [key, price] of Object.entries(layer)) {
        if (!key.startsWith(`${provider}/`)) continue;
        const weight = price.inputPerMillion + price.outputPerMillion;
        if (!best || weight > best[1]) best = [key.slice(provider.length + 1), weight];
      }
      if (best) return best[0];
    }
    return undefined;
  }

  /** Every key priced, configured first (for `budget` and docs). */
  keys(): string[] {
    return [...new Set(this.#layers.flatMap((l) => Object.keys(l)))];
  }

  #lookup(provider: string, model: string | undefined): Price | undefined {
    for (const layer of this.#layers) {
      if (model !== undefined) {
        const exact = layer[`${provider}/${model}`];
        if (exact) return exact;
        let best: [number, Price] | undefined;
        for (const [key, price] of Object.entries(layer)) {
          if (!key.startsWith(`${provider}/`)) continue;
          const prefix = key.slice(provider.length + 1);
          if (model.startsWith(prefix) && (!best || prefix.length > best[0])) best = [prefix.length, price];
        }
        if (best) return best[1];
      }
      const whole = layer[provider];
      if (whole) return whole;
    }
    return undefined;
  }
}
