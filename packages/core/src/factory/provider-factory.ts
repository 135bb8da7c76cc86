import type { LLMProvider } from '../contract/llm-provider.js';
import { PROVIDER_API_VERSION } from '../contract/llm-provider.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { resolveProviderSettings } from '../config/resolve-provider-settings.js';
import { discoverPlugins } from '../discovery/discover-plugins.js';
import { loadPluginModule } from '../discovery/load-plugin-module.js';
import type { PluginRecord } from '../discovery/plugin-record.js';
import { ConfigValidationError } from '../errors/config-validation-error.js';
import { LicenseError } from '../errors/license-error.js';
import { LLMError } from '../errors/llm-error.js';
import { NoProviderAvailableError, type ProviderAttempt } from '../errors/no-provider-available-error.js';
import { PluginLoadError } from '../errors/plugin-load-error.js';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/create-console-logger.js';
import { definePlugin, isProviderPlugin, type ProviderPlugin } from '../plugin/define-plugin.js';
import type { PluginContext } from '../plugin/plugin-context.js';
import type { StandardSchemaV1 } from '../plugin/standard-schema.js';
import { FallbackProvider, type FallbackProviderOptions } from './fallback-provider.js';
import { CircuitBreaker } from '../pipeline/circuit-breaker.js';
import { policyFor } from '../pipeline/pipeline-config.js';
import { PipelineProvider } from '../pipeline/pipeline-provider.js';
import { RateLimiter } from '../pipeline/rate-limiter.js';
import { ResilientProvider, unwrapResilient } from '../pipeline/resilient-provider.js';
import { ResponseCache } from '../pipeline/response-cache.js';
import { UsageLedger } from '../pipeline/usage-ledger.js';
import { BudgetGuard } from '../budget/budget-guard.js';
import type { SpendStore } from '../budget/spend-store.js';
import { PriceTable } from '../cost/price-table.js';
import type { CustomRouter } from '../routing/custom-router.js';
import { createRoutingSetup } from '../routing/create-routing-setup.js';
import { RoutedChain } from '../routing/routed-chain.js';
import { freeChainRemainder, resolveChain, type ChainPlan } from './resolve-chain.js';

/** What `registerProvider` accepts: a plugin, a provider class (as in the seed), or a factory function. */
export type ProviderRegistration =
  | ProviderPlugin<any>
  | (new (settings: any, context: PluginContext) => LLMProvider)
  | ((settings: any, context: PluginContext) => LLMProvider | Promise<LLMProvider>);

export interface ProviderFactoryOptions {
  config: ResolvedConfig;
  logger?: Logger;
  /** Values handed to plugins in code (see `PluginContext.services`). */
  services?: ReadonlyMap<string, unknown>;
  /** Skip package discovery (only registered providers are used). */
  discover?: boolean;
  /** Replaces the default routing scorer (see `routing` in the config). */
  router?: CustomRouter;
  /** Where budgets keep spend (default: in memory, this process only). */
  spendStore?: SpendStore;
}

interface Entry {
  record: PluginRecord;
  plugin?: ProviderPlugin<unknown>;
  loading?: Promise<ProviderPlugin<unknown>>;
}

const passthroughSchema: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': { version: 1, vendor: 'autoarr-llm', validate: (value) => ({ value: (value ?? {}) as Record<string, unknown> }) },
};

/**
 * Picks, creates and owns providers (the seed's `LLMProviderFactory`). Plugins are discovered from
 * the app's installed packages by their manifests; a plugin is imported only when its provider is
 * selected. Everything the factory created is disposed by `dispose()`.
 */
export class ProviderFactory {
  readonly config: ResolvedConfig;
  readonly #logger: Logger;
  readonly #services: ReadonlyMap<string, unknown>;
  readonly #entries = new Map<string, Entry>();
  readonly #records: PluginRecord[] = [];
  readonly #created = new Set<LLMProvider>();
  // Pipeline state lives as long as the factory: a breaker opened by one call protects the next.
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #probeTargets = new Map<string, LLMProvider>();
  readonly #limiters = new Map<string, RateLimiter | undefined>();
  readonly #ledger: UsageLedger;
  readonly #cache: ResponseCache | undefined;
  readonly #prices: PriceTable;
  readonly #budgets: BudgetGuard | undefined;
  readonly #router: CustomRouter | undefined;

  constructor(options: ProviderFactoryOptions) {
    this.config = options.config;
    this.#logger = options.logger ?? silentLogger;
    this.#services = options.services ?? new Map();
    const pipeline = this.config.values.pipeline;
    this.#prices = new PriceTable({ ...pipeline.prices, ...this.config.values.prices });
    this.#ledger = new UsageLedger(this.#prices, pipeline.ledgerEntries);
    const budgets = this.config.values.budgets;
    this.#budgets = budgets && budgets.limits.length > 0 ? new BudgetGuard(budgets, this.#prices, options.spendStore) : undefined;
    this.#router = options.router;
    this.#cache = pipeline.cache.enabled ? new ResponseCache(pipeline.cache) : undefined;
    if (options.discover !== false) {
      const records = discoverPlugins({
        appRoot: this.config.appRoot,
        plugins: this.config.values.plugins,
        allowScopes: this.config.values.allowScopes,
      });
      for (const record of records) {
        this.#records.push(record);
        if (record.status === 'discovered' && record.provider) this.#entries.set(record.provider, { record });
        for (const warning of record.warnings) this.#logger.warn({ plugin: record.package }, warning);
        if (record.status === 'failed') this.#logger.warn({ plugin: record.package }, `plugin skipped: ${record.reason}`);
      }
      const strictFailure = records.find((r) => r.strict && r.status !== 'discovered');
      if (strictFailure) {
        throw new PluginLoadError(strictFailure.package, strictFailure.status === 'not-installed' ? 'not-installed' : 'bad-manifest', `Plugin ${strictFailure.package} (strict): ${strictFailure.reason}`);
      }
    }
  }

  /** Registers a provider in code (the seed's `register_provider`); it wins over discovered packages. */
  registerProvider(name: string, registration: ProviderRegistration): void {
    const plugin = isProviderPlugin(registration) ? (registration as ProviderPlugin<unknown>) : wrapRegistration(name, registration as Exclude<ProviderRegistration, ProviderPlugin<any>>);
    const previous = this.#entries.get(name);
    if (previous && previous.record.source !== 'registered') {
      previous.record.status = 'duplicate';
      previous.record.reason = `provider "${name}" was registered in code, which takes precedence`;
    }
    const record: PluginRecord = {
      package: '(registered)',
      provider: name,
      version: undefined,
      source: 'registered',
      status: 'loaded',
      tier: plugin.tier,
      dir: undefined,
      manifest: undefined,
      reason: undefined,
      warnings: [],
      strict: true,
    };
    this.#records.push(record);
    this.#entries.set(name, { record, plugin });
  }

  /** Every plugin candidate and what became of it (what `doctor` prints). */
  loadReport(): readonly PluginRecord[] {
    return this.#records;
  }

  /** Provider names that can be created (discovered or registered). */
  providerNames(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /** The order `createProvider(name)` would try, and why. */
  plan(name?: string): ChainPlan {
    return resolveChain(this.config, this.#premiumInstalled(), name);
  }

  /**
   * The first available provider of the chain (explicit name > `LLM_PROVIDER` > fallback order),
   * wrapped so that calls move on to the next provider when fallback is enabled. Throws
   * `NoProviderAvailableError` listing every provider tried and why.
   */
  async createProvider(name?: string, settings?: Record<string, unknown>, hooks: { onDispose?: () => Promise<void> } = {}): Promise<PipelineProvider> {
    const plan = this.plan(name);
    const order = [...plan.order];
    const skipped: ProviderAttempt[] = [];
    for (let i = 0; i < order.length; i++) {
      const candidate = order[i] as string;
      let provider: LLMProvider;
      try {
        provider = await this.createSingle(candidate, candidate === name ? settings : undefined);
      } catch (error) {
        if (ConfigValidationError.isInstance(error)) throw error;
        if (PluginLoadError.isInstance(error) && this.#entries.get(candidate)?.record.strict && this.#entries.get(candidate)?.record.source !== 'registered') throw error;
        skipped.push(attemptOf(candidate, error));
        // An unlicensed premium install behaves as the free build: the free chain follows.
        if (LicenseError.isInstance(error) && plan.premium && plan.fallbackEnabled) order.push(...freeChainRemainder(order));
        continue;
      }
      if (this.config.values.pipeline.enabled && this.#breakers.get(candidate)?.state === 'open') {
        skipped.push({ provider: candidate, reason: 'circuit open after repeated failures', code: 'PROVIDER_UNAVAILABLE' });
        await this.#release(provider);
        continue;
      }
      if (await provider.isAvailable()) {
        this.#logger.info({ provider: candidate, chain: order.slice(i) }, `using LLM provider ${candidate}`);
        // Each chain owns its members: created on first need, disposed with the chain.
        const wrappedPrimary = this.#wrap(provider);
        const members = new Map<string, Promise<LLMProvider>>([[candidate, Promise.resolve(wrappedPrimary)]]);
        const ready = new Map<string, LLMProvider>([[candidate, wrappedPrimary]]);
        const chainOptions: FallbackProviderOptions = {
          order: order.slice(i),
          primary: wrappedPrimary,
          fallbackEnabled: plan.fallbackEnabled,
          skipped,
          get: (n) => {
            let pending = members.get(n);
            if (!pending) {
              pending = this.createSingle(n).then((p) => {
                const wrapped = this.#wrap(p);
                ready.set(n, wrapped);
                return wrapped;
              });
              // A failed creation is not kept: the next call tries again (the key may have been fixed).
              pending.catch(() => members.delete(n));
              members.set(n, pending);
            }
            return pending;
          },
          peek: (n) => ready.get(n),
          onDispose: async () => {
            const settled = await Promise.allSettled(members.values());
            members.clear();
            ready.clear();
            await Promise.allSettled(settled.flatMap((s) => (s.status === 'fulfilled' ? [this.#release(unwrapResilient(s.value))] : [])));
          },
        };
        // Routing and budgets are a layer of their own, built only when configured.
        const routing = await createRoutingSetup({
          routing: this.config.values.routing,
          guard: this.#budgets,
          prices: this.#prices,
          appRoot: this.config.appRoot,
          explicit: (name ?? this.config.values.provider) !== undefined,
          customRouter: this.#router,
        });
        const chain = routing ? new RoutedChain(chainOptions, routing) : new FallbackProvider(chainOptions);
        return new PipelineProvider({
          chain,
          config: this.config.values.pipeline,
          ledger: this.#ledger,
          cache: this.#cache,
          logger: this.#logger,
          loadReport: () => this.loadReport(),
          ...(hooks.onDispose ? { onDispose: hooks.onDispose } : {}),
        });
      }
      const health = await provider.healthCheck();
      skipped.push({ provider: candidate, reason: health.reason ?? 'not available', code: 'PROVIDER_UNAVAILABLE' });
      await this.#release(provider);
    }
    throw new NoProviderAvailableError(skipped);
  }

  /** Creates one provider by name, without checking availability or wrapping it. */
  async createSingle(name: string, settings?: Record<string, unknown>): Promise<LLMProvider> {
    const plugin = await this.loadPlugin(name);
    const resolved = await resolveProviderSettings(this.config, plugin, settings);
    const context: PluginContext = { logger: this.#logger, appRoot: this.config.appRoot, env: this.config.env, services: this.#services };
    let provider: LLMProvider;
    try {
      provider = await plugin.create(resolved, context);
    } catch (error) {
      if (LLMError.isInstance(error)) throw error;
      throw new PluginLoadError(this.#entries.get(name)?.record.package ?? name, 'create-failed', `Provider "${name}" could not be created: ${error instanceof Error ? error.message : String(error)}`, {
        provider: name,
        cause: error,
      });
    }
    this.#created.add(provider);
    return provider;
  }

  /** Imports (once) the plugin serving `name`. */
  async loadPlugin(name: string): Promise<ProviderPlugin<unknown>> {
    const entry = this.#entries.get(name);
    if (!entry) throw this.#unknownProvider(name);
    if (entry.plugin) return entry.plugin;
    entry.loading ??= loadPluginModule(entry.record).then(
      (plugin) => {
        entry.plugin = plugin;
        entry.record.status = 'loaded';
        return plugin;
      },
      (error: unknown) => {
        entry.record.status = 'failed';
        entry.record.reason = error instanceof Error ? error.message : String(error);
        this.#logger.warn({ plugin: entry.record.package }, `plugin failed to load: ${entry.record.reason}`);
        throw error;
      },
    );
    return entry.loading;
  }

  /** Disposes every provider this factory created. */
  async dispose(): Promise<void> {
    const all = [...this.#created];
    this.#created.clear();
    await Promise.allSettled(all.map((p) => p.dispose()));
  }

  /** Tokens and cost of every call through this factory's chains. */
  get ledger(): UsageLedger {
    return this.#ledger;
  }

  /** The price table costs are computed with (defaults, `pipeline.prices`, `prices`). */
  get prices(): PriceTable {
    return this.#prices;
  }

  /** The budgets in force, when any are configured. */
  get budgets(): BudgetGuard | undefined {
    return this.#budgets;
  }

  /** The circuit breaker state of a provider (`closed` when it has none yet). */
  breakerState(name: string): 'closed' | 'open' | 'half-open' {
    return this.#breakers.get(name)?.state ?? 'closed';
  }

  /** A chain member behind its per-provider policy (breaker, rate limit, retries, deadlines). */
  #wrap(provider: LLMProvider): LLMProvider {
    const pipeline = this.config.values.pipeline;
    if (!pipeline.enabled) return provider;
    const name = provider.name;
    const policy = policyFor(pipeline, name);
    this.#probeTargets.set(name, provider);
    let breaker = this.#breakers.get(name);
    if (!breaker) {
      breaker = new CircuitBreaker({
        ...pipeline.breaker,
        // The half-open probe reuses the provider's own health check.
        probe: async () => (await this.#probeTargets.get(name)?.healthCheck())?.status === 'ok',
      });
      this.#breakers.set(name, breaker);
    }
    if (!this.#limiters.has(name)) {
      this.#limiters.set(
        name,
        policy.requestsPerMinute || policy.tokensPerMinute ? new RateLimiter({ provider: name, requestsPerMinute: policy.requestsPerMinute, tokensPerMinute: policy.tokensPerMinute }) : undefined,
      );
    }
    return new ResilientProvider(provider, { policy, retry: pipeline.retry, breaker, limiter: this.#limiters.get(name), logger: this.#logger });
  }

  async #release(provider: LLMProvider): Promise<void> {
    this.#created.delete(provider);
    await provider.dispose().catch(() => undefined);
  }

  #premiumInstalled(): boolean {
    return [...this.#entries.values()].some((e) => e.record.tier === 'premium');
  }

  #unknownProvider(name: string): PluginLoadError {
    // A package that is not installed has no manifest to name its provider: match it by name.
    const failed =
      this.#records.find((r) => r.provider === name && r.status !== 'discovered' && r.status !== 'loaded') ??
      this.#records.find((r) => r.status === 'not-installed' && r.package.endsWith(`provider-${name}`));
    if (failed) return new PluginLoadError(failed.package, failed.status === 'not-installed' ? 'not-installed' : 'bad-manifest', `Provider "${name}": plugin ${failed.package} ${failed.reason}`, { provider: name });
    const known = this.providerNames();
    return new PluginLoadError(
      name,
      'unknown-provider',
      `No plugin provides "${name}"${known.length > 0 ? ` (available: ${known.join(', ')})` : ' (no provider plugins are installed)'}; install @autoarr-llm/provider-${name} or register it with registerProvider()`,
      { provider: name },
    );
  }
}

function attemptOf(provider: string, error: unknown): ProviderAttempt {
  return { provider, reason: error instanceof Error ? error.message : String(error), code: LLMError.isInstance(error) ? error.code : undefined, error };
}

function wrapRegistration(name: string, registration: Exclude<ProviderRegistration, ProviderPlugin<any>>): ProviderPlugin<unknown> {
  // A class has methods on its prototype; a factory function (or arrow) has none.
  const isClass = typeof registration.prototype === 'object' && typeof (registration.prototype as Record<string, unknown>)['complete'] === 'function';
  return definePlugin<Record<string, unknown>>({
    name,
    apiVersion: PROVIDER_API_VERSION,
    configSchema: passthroughSchema,
    create: (settings, context) =>
      isClass
        ? new (registration as new (s: unknown, c: PluginContext) => LLMProvider)(settings, context)
        : (registration as (s: unknown, c: PluginContext) => LLMProvider | Promise<LLMProvider>)(settings, context),
  });
}
