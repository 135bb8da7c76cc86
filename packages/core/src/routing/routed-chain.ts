import type { CallOptions, ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { LLMResponse } from '../contract/response.js';
import type { BudgetGuard } from '../budget/budget-guard.js';
import type { PriceTable } from '../cost/price-table.js';
import { chainExhausted } from '../factory/chain-stream.js';
import { FallbackProvider, type FallbackProviderOptions } from '../factory/fallback-provider.js';
import { shouldFallBack } from '../factory/should-fall-back.js';
import { isCallAborted } from '../pipeline/call-context.js';
import type { CallAbort } from '../pipeline/call-abort-scope.js';
import { optionsFor } from '../pipeline/resilient-provider.js';
import type { ProviderAttempt } from '../errors/no-provider-available-error.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { RoutedStream } from './routed-stream.js';
import { RoutePlan, stepOptions, type PlanStep } from './route-plan.js';
import type { RouteDecision, Router } from './router.js';

export interface RoutingSetup {
  /** Undefined when the provider was chosen explicitly (`LLM_PROVIDER`, a name in code): budgets only. */
  router: Router | undefined;
  guard: BudgetGuard | undefined;
  prices: PriceTable;
}

/**
 * The chain with routing and budgets in front: each call is routed to its tier's capable
 * candidates, cheapest first, each admitted by the budgets before it is sent; a failure or a
 * refusal moves on to the next candidate. Without a router (an explicit provider) the chain's own
 * order is used, budgets still applied. Only built when `routing` or `budgets` is configured: the
 * plain chain is untouched otherwise.
 */
export class RoutedChain extends FallbackProvider {
  readonly #fo: FallbackProviderOptions;
  readonly #s: RoutingSetup;
  #modelsLoaded: Promise<void> | undefined;
  #ready = false;
  #chainSteps: PlanStep[] | undefined;

  constructor(options: FallbackProviderOptions, setup: RoutingSetup) {
    super(options);
    this.#fo = options;
    this.#s = setup;
  }

  get router(): Router | undefined {
    return this.#s.router;
  }

  /** The decision for a request, without sending it (what `route --explain` shows). */
  async explain(messages: LLMMessage[], options: ResolvedCallOptions): Promise<RouteDecision | undefined> {
    if (!this.#s.router) return undefined;
    await this.#models();
    return this.#s.router.decide(messages, options);
  }

  override async complete(messages: LLMMessage[], options: CallOptions = {}): Promise<LLMResponse> {
    if (!this.#ready && this.#s.router) await this.#models();
    const plan = this.#plan(messages, options as ResolvedCallOptions);
    let attempts: ProviderAttempt[] | undefined;
    for (const step of plan.steps) {
      const admitted = plan.admit(step);
      if (!(admitted === true || (admitted !== false && (await admitted)))) continue;
      try {
        const provider = this.#fo.peek?.(step.provider) ?? (await this.#fo.get(step.provider));
        const stepped = stepOptions(options, step);
        const response = await provider.complete(messages, optionsFor(provider, stepped));
        return plan.succeeded(step, response);
      } catch (error) {
        plan.failed(step, error);
        if (!shouldFallBack(error) || isCallAborted(options)) throw error;
        (attempts ??= []).push({ provider: step.provider, reason: error instanceof Error ? error.message : String(error), code: (error as { code?: string }).code, error });
      }
    }
    throw plan.exhausted(() => chainExhausted(this.#fo.skipped, attempts ?? []));
  }

  override streamEvents(messages: LLMMessage[], options: CallOptions, signal: CallAbort): StreamEventIterator {
    return new RoutedStream(
      {
        prepare: async () => {
          if (!this.#ready && this.#s.router) await this.#models();
          return this.#plan(messages, options as ResolvedCallOptions);
        },
        get: (n) => this.#fo.peek?.(n) ?? this.#fo.get(n),
        skipped: this.#fo.skipped,
      },
      messages,
      options,
      signal,
    );
  }

  #plan(messages: LLMMessage[], options: ResolvedCallOptions): RoutePlan {
    const router = this.#s.router;
    // A model the caller names is an explicit choice, as is an explicit provider: no routing then.
    if (router && options.model === undefined) {
      const decision = router.decide(messages, options);
      return new RoutePlan(
        decision.order.map((c) => ({ provider: c.provider, model: c.model, accountAs: c.model })),
        decision,
        this.#s.guard,
        this.#s.prices,
        messages,
        options,
      );
    }
    // The chain's own order, each step accounted at the caller's model or the provider's dearest:
    // without a model the steps are the same for every call, so they are built once (never mutated).
    const steps: PlanStep[] =
      options.model === undefined ? (this.#chainSteps ??= this.#stepsFor(undefined)) : this.#stepsFor(options.model);
    return new RoutePlan(steps, undefined, this.#s.guard, this.#s.prices, messages, options);
  }

  #stepsFor(model: string | undefined): PlanStep[] {
    return this.chain.map((provider) => ({ provider, model: undefined, accountAs: model ?? this.#s.prices.dearestModel(provider) ?? '' }));
  }

  /** What the candidates' models can do, from their providers (once; a provider that cannot list contributes none). */
  #models(): Promise<void> {
    const router = this.#s.router as Router;
    this.#modelsLoaded ??= (async () => {
      const lists = await Promise.all(
        router.providers.map(async (name) => {
          try {
            const provider: LLMProvider = await this.#fo.get(name);
            return await provider.getModels();
          } catch {
            return [];
          }
        }),
      );
      router.setModels(lists.flat());
      this.#ready = true;
    })();
    return this.#modelsLoaded;
  }
}
