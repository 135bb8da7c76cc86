import type { CallOptions, ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMResponse } from '../contract/response.js';
import type { RouteSummary } from '../contract/route-summary.js';
import type { BudgetGuard, BudgetReservation } from '../budget/budget-guard.js';
import { costOf } from '../cost/cost-of.js';
import type { PriceTable } from '../cost/price-table.js';
import { BudgetExceededError, type BudgetRefusal } from '../errors/budget-exceeded-error.js';
import { estimateMessageTokens, estimateTokens } from '../pipeline/estimate-tokens.js';
import { withModel } from '../provider/with-signal.js';
import type { RouteDecision } from './router.js';

/** One step of a routed call: the provider, the model to ask for (undefined: as the caller asked). */
export interface PlanStep {
  provider: string;
  model: string | undefined;
  /** The model budgets account this step under. */
  accountAs: string;
}

/**
 * One call's way through its candidates: the order, the budget reservation of the candidate being
 * tried, what was passed over and why. Shared by calls and streams; settles or releases each
 * reservation exactly once.
 */
export class RoutePlan {
  readonly steps: PlanStep[];
  readonly decision: RouteDecision | undefined;
  readonly skipped: Array<{ candidate: string; reason: string }> = [];
  readonly #guard: BudgetGuard | undefined;
  readonly #prices: PriceTable;
  readonly #inputTokens: number;
  readonly #maxTokens: number | undefined;
  #refusals: BudgetRefusal[] | undefined;
  #held: BudgetReservation | undefined;

  constructor(steps: PlanStep[], decision: RouteDecision | undefined, guard: BudgetGuard | undefined, prices: PriceTable, messages: readonly LLMMessage[], options: ResolvedCallOptions) {
    this.steps = steps;
    this.decision = decision;
    this.#guard = guard;
    this.#prices = prices;
    // Worst case: a tokenizer can count more tokens than ≈4 characters each; a quarter more covers it.
    this.#inputTokens = guard ? Math.ceil((decision?.features.tokens ?? estimateMessageTokens(messages)) * 1.25) : 0;
    this.#maxTokens = options.maxTokens;
    if (decision) for (const c of decision.candidates) if (c.excluded) this.skipped.push({ candidate: c.id, reason: c.excluded });
  }

  /**
   * Reserves the step's worst case; false (and the refusal noted) when a budget refuses it.
   * Synchronous when the store is (no promise per call on the common path).
   */
  admit(step: PlanStep): boolean | Promise<boolean> {
    const guard = this.#guard;
    if (!guard) return true;
    const amount = guard.worstCase(step.provider, step.accountAs, this.#inputTokens, this.#maxTokens);
    const outcome = guard.reserve(step.provider, step.accountAs, amount);
    return outcome instanceof Promise ? outcome.then((o) => this.#admitted(step, o)) : this.#admitted(step, outcome);
  }

  #admitted(step: PlanStep, outcome: BudgetReservation | BudgetRefusal): boolean {
    if ('claims' in outcome) {
      this.#held = outcome;
      return true;
    }
    (this.#refusals ??= []).push(outcome);
    this.skipped.push({ candidate: `${step.provider}/${step.accountAs}`, reason: `budget "${outcome.budget}" would be exceeded` });
    return false;
  }

  /** The step failed: its reservation is released, and the failure noted. */
  failed(step: PlanStep, error: unknown): void {
    const held = this.#held;
    this.#held = undefined;
    if (held) void this.#guard?.release(held);
    this.skipped.push({ candidate: stepId(step), reason: error instanceof Error ? error.message : String(error) });
  }

  /** The step answered: the real cost is settled, and the route put on the response. */
  succeeded(step: PlanStep, response: LLMResponse): LLMResponse {
    this.#settle(response.provider, response.model, response.usage ?? { inputTokens: 0, outputTokens: estimateTokens(response.content) });
    if (this.decision) response.route = this.summary(step);
    return response;
  }

  /** A stream ended early (cut, or its consumer left): what arrived is settled as estimated cost. */
  cut(step: PlanStep, messages: readonly LLMMessage[], partialText: string): void {
    this.#settle(step.provider, step.model ?? step.accountAs, { inputTokens: estimateMessageTokens(messages), outputTokens: estimateTokens(partialText) });
  }

  /** Nothing could serve: the budgets' refusal when every candidate was refused by one. */
  exhausted(fallback: () => unknown): unknown {
    const refusals = this.#refusals;
    if (refusals && refusals.length === this.steps.length) return new BudgetExceededError(refusals);
    return fallback();
  }

  summary(step: PlanStep): RouteSummary {
    return new RouteRecord(this.decision as RouteDecision, stepId(step), this.skipped);
  }

  #settle(provider: string, model: string, usage: { inputTokens: number; outputTokens: number; cacheReadTokens?: number | undefined; cacheWriteTokens?: number | undefined }): void {
    const held = this.#held;
    if (!held) return;
    this.#held = undefined;
    const price = this.#prices.priceFor(provider, model) ?? held.price;
    void this.#guard?.settle(held, price ? costOf(price, usage) : 0);
  }
}

function stepId(step: PlanStep): string {
  return `${step.provider}/${step.model ?? step.accountAs}`;
}

/** The options a step is called with: the routed model in place of the caller's. */
export function stepOptions(options: CallOptions, step: PlanStep): CallOptions {
  return step.model === undefined || options.model === step.model ? options : withModel(options, step.model);
}

/** A route on a response: its `reason` is worded from the decision when first read (or serialised). */
class RouteRecord implements RouteSummary {
  readonly tier: string;
  readonly score: number;
  readonly chosen: string;
  readonly skipped: Array<{ candidate: string; reason: string }>;
  readonly #decision: RouteDecision;

  constructor(decision: RouteDecision, chosen: string, skipped: Array<{ candidate: string; reason: string }>) {
    this.tier = decision.tier;
    this.score = decision.score;
    this.chosen = chosen;
    this.skipped = skipped;
    this.#decision = decision;
  }

  get reason(): string {
    return this.#decision.reason;
  }

  toJSON(): RouteSummary {
    return { tier: this.tier, score: this.score, chosen: this.chosen, reason: this.reason, skipped: this.skipped };
  }
}
