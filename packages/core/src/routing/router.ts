import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { ModelInfo } from '../contract/model-info.js';
import { costOf } from '../cost/cost-of.js';
import type { Price } from '../cost/price.js';
import type { PriceTable } from '../cost/price-table.js';
import { NoCapableModelError, type RequiredCapability } from '../errors/no-capable-model-error.js';
import type { CustomRouter } from './custom-router.js';
import { compilePatterns, requestFeatures, type CompiledPattern, type RequestFeatures } from './request-features.js';
import type { DeclaredModel, RoutingConfig, Tier } from './routing-config.js';
import { TIERS } from './routing-config.js';
import { scoreFeatures, scoreOf } from './score-features.js';

/** One `provider/model` the router considered, and why it was passed over (if it was). */
export interface RouteCandidate {
  id: string;
  provider: string;
  model: string;
  /** The tier whose list named it. */
  tier: Tier;
  price: Price | undefined;
  /** Expected cost of this request on it (prompt estimate + expected output), when priced. */
  expectedCost: number | undefined;
  /** Why it cannot serve this request; undefined when it can. */
  excluded: string | undefined;
}

/** Everything the router decided for one request (what `route --explain` prints). */
export interface RouteDecision {
  features: RequestFeatures;
  score: number;
  tier: Tier;
  /** What moved the score, or the custom router's reason. */
  signals: string[];
  by: 'default' | 'custom';
  /** Every candidate considered, tier first, then the tiers above. */
  candidates: RouteCandidate[];
  /** The candidates that can serve, in the order they are tried. */
  order: RouteCandidate[];
  /** The decision in words. */
  reason: string;
}

type Capabilities = DeclaredModel;

/** Output assumed for the expected cost when a call sets no `maxTokens`. */
const EXPECTED_OUTPUT = 512;

/**
 * The default router: features → score → tier → capable candidates, cheapest first. Pure and
 * synchronous (microseconds per request); what models can do comes from `setModels` (the providers'
 * `getModels()`), overlaid by `routing.models` in the config.
 */
export class Router {
  readonly config: RoutingConfig;
  readonly #prices: PriceTable;
  readonly #custom: CustomRouter | undefined;
  readonly #patterns: CompiledPattern[];
  readonly #caps = new Map<string, Capabilities>();
  /** Per tier: its own candidates, then those of the tiers above (they meet it too). */
  readonly #lists: Record<Tier, Array<Omit<RouteCandidate, 'expectedCost' | 'excluded'>>>;
  readonly #configured: Tier[];

  constructor(config: RoutingConfig, prices: PriceTable, custom?: CustomRouter) {
    this.config = config;
    this.#prices = prices;
    this.#custom = custom;
    this.#patterns = compilePatterns(config.patterns);
    this.#configured = TIERS.filter((t) => (config.tiers[t]?.length ?? 0) > 0);
    const lists = {} as Record<Tier, Array<Omit<RouteCandidate, 'expectedCost' | 'excluded'>>>;
    for (let i = 0; i < TIERS.length; i++) {
      const list: Array<Omit<RouteCandidate, 'expectedCost' | 'excluded'>> = [];
      for (const tier of TIERS.slice(i)) {
        for (const id of this.config.tiers[tier] ?? []) {
          if (list.some((c) => c.id === id)) continue;
          const slash = id.indexOf('/');
          const provider = id.slice(0, slash);
          const model = id.slice(slash + 1);
          list.push({ id, provider, model, tier, price: prices.priceFor(provider, model) });
        }
      }
      lists[TIERS[i] as Tier] = list;
    }
    this.#lists = lists;
    this.setModels([]);
  }

  /** The providers the tiers name (whose models the router needs to know). */
  get providers(): string[] {
    return [...new Set(Object.values(this.#lists).flatMap((l) => l.map((c) => c.provider)))];
  }

  /** What each model can do, from the providers' model lists; `routing.models` in the config wins. */
  setModels(models: readonly ModelInfo[]): void {
    this.#caps.clear();
    for (const m of models) this.#caps.set(`${m.provider}/${m.id}`, { vision: m.capabilities.vision, tools: m.capabilities.tools, json: m.capabilities.json, contextLength: m.contextLength });
    for (const [id, declared] of Object.entries(this.config.models)) this.#caps.set(id, { ...this.#caps.get(id), ...stripUndefined(declared) });
  }

  /** Routes one request; throws `NoCapableModelError` when no candidate can serve it. */
  decide(messages: readonly LLMMessage[], options: ResolvedCallOptions): RouteDecision {
    const features = requestFeatures(messages, options, this.#patterns);
    let score: number;
    let tier: Tier;
    let custom: string | undefined;
    let by: RouteDecision['by'] = 'default';
    if (this.#custom) {
      const verdict = this.#custom({ messages, options, features });
      by = 'custom';
      tier = this.#nearestConfigured(verdict.tier);
      score = verdict.score ?? Number.NaN;
      custom = verdict.reason ?? '';
    } else {
      score = scoreOf(features);
      tier = this.#tierOf(score);
    }
    const candidates: RouteCandidate[] = [];
    const order: RouteCandidate[] = [];
    const output = features.maxTokens ?? EXPECTED_OUTPUT;
    for (const c of this.#lists[tier]) {
      const excluded = this.#exclusion(c.id, features);
      const expectedCost = c.price ? costOf(c.price, { inputTokens: features.tokens, outputTokens: output }) : undefined;
      const candidate: RouteCandidate = { id: c.id, provider: c.provider, model: c.model, tier: c.tier, price: c.price, expectedCost, excluded };
      candidates.push(candidate);
      if (excluded === undefined) order.push(candidate);
    }
    if (order.length === 0) throw this.#noneCapable(features, candidates);
    // Cheapest first within each tier; the tier's own candidates stay ahead of those of the tiers above.
    if (this.config.costAware && order.length > 1) order.sort((a, b) => rank(a.tier) - rank(b.tier) || (a.expectedCost ?? Infinity) - (b.expectedCost ?? Infinity));
    return new Decision(features, score, tier, by, candidates, order, custom, this.config.costAware);
  }

  #tierOf(score: number): Tier {
    const { medium, complex } = this.config.thresholds;
    const tier: Tier = score >= complex ? 'complex' : score >= medium && this.config.tiers.medium?.length ? 'medium' : 'simple';
    return this.#nearestConfigured(tier);
  }

  /** An unconfigured tier goes to the next one above, else the highest configured. */
  #nearestConfigured(tier: Tier): Tier {
    if (this.#configured.includes(tier)) return tier;
    const above = this.#configured.find((t) => rank(t) > rank(tier));
    return above ?? (this.#configured[this.#configured.length - 1] as Tier);
  }

  #exclusion(id: string, f: RequestFeatures): string | undefined {
    const caps = this.#caps.get(id);
    if (f.images > 0 && caps?.vision !== true) return caps?.vision === false ? 'no vision' : 'vision not known';
    if (f.tools > 0 && caps?.tools !== true) return caps?.tools === false ? 'no tools' : 'tools not known';
    if (f.json && caps?.json !== true) return caps?.json === false ? 'no JSON output' : 'JSON output not known';
    const needed = f.tokens + (f.maxTokens ?? 0);
    if (caps?.contextLength !== undefined && needed > caps.contextLength) return `context ${caps.contextLength} < ${needed} tokens`;
    return undefined;
  }

  #noneCapable(f: RequestFeatures, candidates: RouteCandidate[]): NoCapableModelError {
    const missing: RequiredCapability[] = [];
    const all = [...candidates.map((c) => c.id)];
    // A capability is missing when no candidate of any tier has it (what the user has to add).
    const every = [...this.#caps.entries()].filter(([id]) => all.includes(id)).map(([, c]) => c);
    if (f.images > 0 && !every.some((c) => c.vision)) missing.push('vision');
    if (f.tools > 0 && !every.some((c) => c.tools)) missing.push('tools');
    if (f.json && !every.some((c) => c.json)) missing.push('json');
    const needed = f.tokens + (f.maxTokens ?? 0);
    if (candidates.every((c) => (this.#caps.get(c.id)?.contextLength ?? Infinity) < needed)) missing.push('context');
    // Each capability exists somewhere, but not together in one model.
    if (missing.length === 0) {
      if (f.images > 0) missing.push('vision');
      if (f.tools > 0) missing.push('tools');
      if (f.json) missing.push('json');
    }
    return new NoCapableModelError(missing, all, missing.includes('context') ? needed : undefined);
  }
}

function rank(tier: Tier): number {
  return tier === 'simple' ? 0 : tier === 'medium' ? 1 : 2;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A decision whose words (`signals`, `reason`) are put together only when read: routing runs before
 * every call, and most calls never have their reason looked at.
 */
class Decision implements RouteDecision {
  readonly features: RequestFeatures;
  readonly score: number;
  readonly tier: Tier;
  readonly by: RouteDecision['by'];
  readonly candidates: RouteCandidate[];
  readonly order: RouteCandidate[];
  readonly #custom: string | undefined;
  readonly #costAware: boolean;
  #signals: string[] | undefined;
  #reason: string | undefined;

  constructor(features: RequestFeatures, score: number, tier: Tier, by: RouteDecision['by'], candidates: RouteCandidate[], order: RouteCandidate[], custom: string | undefined, costAware: boolean) {
    this.features = features;
    this.score = score;
    this.tier = tier;
    this.by = by;
    this.candidates = candidates;
    this.order = order;
    this.#custom = custom;
    this.#costAware = costAware;
  }

  get signals(): string[] {
    return (this.#signals ??= this.#custom !== undefined ? (this.#custom ? [this.#custom] : []) : scoreFeatures(this.features).signals);
  }

  get reason(): string {
    if (this.#reason !== undefined) return this.#reason;
    const signals = this.signals;
    const passed = this.candidates.length - this.order.length;
    this.#reason = `${this.by === 'custom' ? 'custom router' : `score ${this.score.toFixed(2)}`} → ${this.tier}${signals.length ? ` (${signals.join('; ')})` : ''}; ${this.order[0]!.id}${this.#costAware ? ' cheapest' : ' first'} of ${this.order.length} capable${passed ? `, ${passed} lacking a capability` : ''}`;
    return this.#reason;
  }

  toJSON(): Record<string, unknown> {
    return { features: this.features, score: this.score, tier: this.tier, by: this.by, signals: this.signals, candidates: this.candidates, order: this.order, reason: this.reason };
  }
}
