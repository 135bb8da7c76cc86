import type { LLMProvider } from '../contract/llm-provider.js';
import { PROVIDER_API_VERSION } from '../contract/llm-provider.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { resolveProviderSettings } from '../config/resolve-provider-settings.js';
import { environmentConfig } from '../config/environment-config.js';
import { discoverPlugins } from '../discovery/discover-plugins.js';
import { loadPluginModule } from '../discovery/load-plugin-module.js';
import type { PluginRecord } from '../discovery/plugin-record.js';
import { ConfigValidationError, type ConfigIssue } from '../errors/config-validation-error.js';
import { collectSettingsIssues } from '../config/collect-settings-issues.js';
import { LicenseError } from '../errors/license-error.js';
import { LLMError } from '../errors/llm-error.js';
import { NoProviderAvailableError, type ProviderAttempt } from '../errors/no-provider-available-error.js';
import { PluginLoadError } from '../errors/plugin-load-error.js';
import type { Logger } from '../logging/logger.js';
import { silentLogger } from '../logging/create-console-logger.js';
import { definePlugin, isProviderPlugin, type ProviderPlugin } from '../plugin/define-plugin.js';
import type { PluginContext } from '../plugin/plugin-context.js';
import type { StandardSchemaV1 } from '../plugin/standard-schema.js';
import { boundedPluginCall, type PluginCallTarget } from '../host/bounded-plugin-call.js';
import { DEFAULT_PLUGIN_TIMEOUTS, type PluginTimeouts } from '../host/plugin-timeouts.js';
import { boundedLifecycle, guardProvider, type ProviderLifecycle } from './guard-provider.js';
import { FallbackProvider, type FallbackProviderOptions } from './fallback-provider.js';
import { CircuitBreaker } from '../pipeline/circuit-breaker.js';
import { policyFor } from '../pipeline/pipeline-config.js';
import { PipelineProvider } from '../pipeline/pipeline-provider.js';
import { RateLimiter } from '../pipeline/rate-limiter.js';
import { ResilientProvider } from '../pipeline/resilient-provider.js';
import { ResponseCache } from '../pipeline/response-cache.js';
import { UsageLedger } from '../pipeline/usage-ledger.js';
import type { CallSink, PluginIdentity } from '../sink/call-sink.js';
import { loadCallLogSink } from '../sink/load-call-log-sink.js';
import { createTelemetrySink, telemetryRegistered } from '../telemetry/create-telemetry-sink.js';
import { BudgetGuard } from '../budget/budget-guard.js';
import type { SpendStore } from '../budget/spend-store.js';
import { PriceTable } from '../cost/price-table.js';
import type { CustomRouter } from '../routing/custom-router.js';
import { createRoutingSetup } from '../routing/create-routing-setup.js';
import { RoutedChain } from '../routing/routed-chain.js';
import { resolveChain, type ChainPlan } from './resolve-chain.js';

/** What `registerProvider` accepts: a plugin, a provider class (as in the seed), or a factory function. */
export type ProviderRegistration =
  | ProviderPlugin<any>
  | (new (settings: any, context: PluginContext) => LLMProvider)
  | ((settings: any, context: PluginContext) => LLMProvider | Promise<LLMProvider>);

export interface ProviderFactoryOptions {
  /**
   * The configuration, from `loadConfig()`. Default: environment variables and defaults only, no
   * config file (reading one is asynchronous: use `openProviderFactory()` or `loadConfig()` for that).
   */
  config?: ResolvedConfig;
  logger?: Logger;
  /** Values handed to plugins in code (see `PluginContext.services`). */
  services?: ReadonlyMap<string, unknown>;
  /** Skip package discovery (only registered providers are used). */
  discover?: boolean;
  /**
   * Call sinks besides the automatic ones (the call log when `@autoarr-llm/call-log` is installed,
   * telemetry when an OpenTelemetry SDK is registered). `false`: no automatic sinks.
   */
  sinks?: readonly CallSink[] | false;
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
  /** How long the host waits for each interaction with a plugin (`pluginTimeouts`). */
  readonly #timeouts: PluginTimeouts;
  // Pipeline state lives as long as the factory: a breaker opened by one call protects the next.
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #probeTargets = new Map<string, ProviderLifecycle>();
  readonly #limiters = new Map<string, RateLimiter | undefined>();
  // Premium providers whose license check failed: the chain treats the install as the free build.
  readonly #unlicensed = new Set<string>();
  readonly #ledger: UsageLedger;
  readonly #cache: ResponseCache | undefined;
  readonly #extraSinks: readonly CallSink[];
  readonly #autoSinks: boolean;
  #sinks: Promise<CallSink[]> | undefined;
  #validated: Promise<void> | undefined;
  readonly #prices: PriceTable;
  readonly #budgets: BudgetGuard | undefined;
  readonly #router: CustomRouter | undefined;
  readonly #seedableSpend: boolean;

  constructor(options: ProviderFactoryOptions = {}) {
    this.config = options.config ?? environmentConfig();
    this.#extraSinks = options.sinks === false ? [] : (options.sinks ?? []);
    this.#autoSinks = options.sinks !== false;
    this.#logger = options.logger ?? silentLogger;
    this.#services = options.services ?? new Map();
    this.#timeouts = this.config.values.pluginTimeouts ?? DEFAULT_PLUGIN_TIMEOUTS;
    const pipeline = this.config.values.pipeline;
    this.#prices = new PriceTable({ ...pipeline.prices, ...this.config.values.prices });
    this.#ledger = new UsageLedger(this.#prices, pipeline.ledgerEntries);
    const budgets = this.config.values.budgets;
    this.#budgets = budgets && budgets.limits.length > 0 ? new BudgetGuard(budgets, this.#prices, options.spendStore) : undefined;
    this.#seedableSpend = options.spendStore === undefined;
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
    this.#validated = undefined;
  }

  /**
   * Every problem with the providers' settings, found in one pass: a section for a provider no
   * plugin serves, and each configured provider's settings (from every source) checked by its
   * plugin's schema, unknown keys included. Imports the plugins of the providers that have a
   * section in the config file or the options (not the others: start-up stays lazy).
   */
  async settingsIssues(): Promise<ConfigIssue[]> {
    const known = new Set<string>(this.#entries.keys());
    for (const r of this.#records) if (r.provider) known.add(r.provider);
    // A config-listed package that is not installed has no manifest: its name stands for its provider.
    for (const r of this.#records) if (r.status === 'not-installed') known.add(r.package.replace(/^.*provider-/, ''));
    return collectSettingsIssues(this.config, known, async (name) => {
      if (!this.#entries.has(name)) return undefined;
      return this.loadPlugin(name).catch(() => undefined);
    });
  }

  /**
   * Throws one `ConfigValidationError` listing every problem `settingsIssues` finds (checked once).
   * Then imports every `strict` plugin of the config's `plugins` list, so a strict plugin that
   * cannot load stops the host (`PluginLoadError`) even when another provider would serve.
   */
  async validateConfig(): Promise<void> {
    this.#validated ??= this.settingsIssues().then(async (issues) => {
      if (issues.length > 0) throw new ConfigValidationError(issues, { subject: 'autoarr-llm provider settings' });
      for (const [name, entry] of this.#entries) {
        if (entry.record.strict && entry.record.source === 'config') await this.loadPlugin(name);
      }
    });
    return this.#validated;
  }

  /** Every plugin candidate and what became of it (what `doctor` prints). */
  loadReport(): readonly PluginRecord[] {
    return this.#records;
  }

  /** Provider names that can be created (discovered or registered). */
  providerNames(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /**
   * The order `createProvider(name)` would try, and why, from what the factory knows so far of
   * the premium licenses (see `resolvePlan` to check them first).
   */
  plan(name?: string): ChainPlan {
    return resolveChain(this.config, { installed: this.#premiumInstalled(), unlicensed: [...this.#unlicensed] }, name);
  }

  /**
   * The order `createProvider(name)` uses, after checking the license of every premium provider
   * in it (creating each once; a license check is offline and loads no model). What `doctor`
   * prints and the factory uses are this same plan.
   */
  async resolvePlan(name?: string): Promise<ChainPlan> {
    const checked = new Set<string>();
    for (;;) {
      const plan = this.plan(name);
      const unchecked = plan.order.filter((n) => !checked.has(n) && this.#entries.get(n)?.record.tier === 'premium');
      if (unchecked.length === 0) return plan;
      for (const n of unchecked) {
        checked.add(n);
        // createSingle records a license refusal; any other failure is the chain's to report.
        await this.createSingle(n).then((p) => this.#release(p), () => undefined);
      }
    }
  }

  /**
   * The first available provider of the chain (explicit name > `LLM_PROVIDER` > fallback order),
   * wrapped so that calls move on to the next provider when fallback is enabled. Throws
   * `NoProviderAvailableError` listing every provider tried and why.
   */
  async createProvider(name?: string, settings?: Record<string, unknown>, hooks: { onDispose?: () => Promise<void> } = {}): Promise<PipelineProvider> {
    await this.validateConfig();
    let plan = await this.resolvePlan(name);
    let order = [...plan.order];
    const skipped: ProviderAttempt[] = [];
    for (let i = 0; i < order.length; i++) {
      const candidate = order[i] as string;
      let provider: LLMProvider;
      try {
        provider = await this.#createRaw(candidate, candidate === name ? settings : undefined);
      } catch (error) {
        if (ConfigValidationError.isInstance(error)) throw error;
        if (PluginLoadError.isInstance(error) && this.#entries.get(candidate)?.record.strict && this.#entries.get(candidate)?.record.source !== 'registered') throw error;
        skipped.push(attemptOf(candidate, error));
        // A license that stopped verifying since resolvePlan: the free chain now follows (same plan function).
        if (LicenseError.isInstance(error) && plan.premium) {
          plan = this.plan(name);
          order = [...order.slice(0, i + 1), ...plan.order.filter((p) => !order.slice(0, i + 1).includes(p))];
        }
        continue;
      }
      if (this.config.values.pipeline.enabled && this.#breakers.get(candidate)?.state === 'open') {
        skipped.push({ provider: candidate, reason: 'circuit open after repeated failures', code: 'PROVIDER_UNAVAILABLE' });
        await this.#release(provider);
        continue;
      }
      const lifecycle = this.#lifecycle(provider, candidate);
      let available: boolean;
      try {
        available = await boundedPluginCall('isAvailable', this.#target(candidate), () => provider.isAvailable(), this.#timeouts.isAvailableMs);
      } catch (error) {
        // No answer at all: reported as such, without waiting once more for its health check.
        skipped.push(attemptOf(candidate, error));
        await this.#release(provider);
        continue;
      }
      if (available) {
        this.#logger.info({ provider: candidate, chain: order.slice(i) }, `using LLM provider ${candidate}`);
        // Each chain owns its members: created on first need, disposed with the chain.
        const wrappedPrimary = this.#wrap(provider, lifecycle);
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
              pending = this.#createRaw(n).then((p) => {
                const wrapped = this.#wrap(p, this.#lifecycle(p, n));
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
            await Promise.allSettled(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.dispose()] : [])));
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
        const sinks = await this.sinks();
        const chain = routing ? new RoutedChain(chainOptions, routing) : new FallbackProvider(chainOptions);
        return new PipelineProvider({
          sinks,
          chain,
          config: this.config.values.pipeline,
          ledger: this.#ledger,
          cache: this.#cache,
          logger: this.#logger,
          loadReport: () => this.loadReport(),
          abortGraceMs: this.#timeouts.abortGraceMs,
          ...(hooks.onDispose ? { onDispose: hooks.onDispose } : {}),
        });
      }
      const health = await lifecycle.healthCheck();
      skipped.push({ provider: candidate, reason: health.reason ?? 'not available', code: 'PROVIDER_UNAVAILABLE' });
      await this.#release(provider);
    }
    throw new NoProviderAvailableError(skipped);
  }

  /**
   * Creates one provider by name, without checking availability or adding it to a chain. Its
   * `isAvailable()`, `healthCheck()`, `getModels()` and `dispose()` are bounded by the host
   * (`pluginTimeouts`); otherwise it is the plugin's provider itself.
   */
  async createSingle(name: string, settings?: Record<string, unknown>): Promise<LLMProvider> {
    const provider = await this.#createRaw(name, settings);
    return guardProvider(provider, this.#lifecycle(provider, name));
  }

  async #createRaw(name: string, settings?: Record<string, unknown>): Promise<LLMProvider> {
    const plugin = await this.loadPlugin(name);
    const resolved = await resolveProviderSettings(this.config, plugin, settings);
    const context: PluginContext = { logger: this.#logger, appRoot: this.config.appRoot, env: this.config.env, services: this.#services };
    let provider: LLMProvider;
    try {
      provider = await boundedPluginCall('create', this.#target(name), () => plugin.create(resolved, context), this.#timeouts.createMs, {
        // Created after the host gave up on it: nobody will use it, release what it holds.
        onLate: (late) => void this.#dispose(late, name),
      });
      if (plugin.tier === 'premium') this.#unlicensed.delete(name);
    } catch (error) {
      if (LicenseError.isInstance(error) && plugin.tier === 'premium') this.#unlicensed.add(name);
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
    entry.loading ??= boundedPluginCall('import', this.#target(name), () => loadPluginModule(entry.record), this.#timeouts.importMs).then(
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

  /**
   * The call sinks every chain of this factory writes to, opened once: the given ones, the call log
   * (when `@autoarr-llm/call-log` is installed in the app and `log.enabled`), and telemetry (when
   * the application registered an OpenTelemetry SDK before creating the provider).
   */
  sinks(): Promise<CallSink[]> {
    this.#sinks ??= this.#openSinks();
    return this.#sinks;
  }

  /** Writes what the call sinks have queued (the call log's pending records). */
  async flushSinks(): Promise<void> {
    if (!this.#sinks) return;
    await Promise.allSettled((await this.#sinks).map((s) => s.flush()));
  }

  /** Disposes every provider this factory created, then flushes and closes its call sinks. */
  async dispose(): Promise<void> {
    const all = [...this.#created];
    this.#created.clear();
    await Promise.all(all.map((p) => this.#dispose(p, p.name)));
    const sinks = this.#sinks;
    this.#sinks = undefined;
    if (sinks) await Promise.allSettled((await sinks).map((s) => s.close()));
  }

  async #openSinks(): Promise<CallSink[]> {
    const sinks = [...this.#extraSinks];
    if (!this.#autoSinks) return sinks;
    const log = await loadCallLogSink({ config: this.config, logger: this.#logger, pluginOf: (provider) => this.#pluginOf(provider) });
    if (log) sinks.push(log);
    const telemetry = this.config.values.telemetry;
    if (telemetry.enabled && telemetryRegistered()) sinks.push(createTelemetrySink(telemetry));
    await this.#seedBudgets(sinks);
    return sinks;
  }

  /**
   * Budgets kept in this process's memory start from what the call log recorded, so a restart does
   * not reset spend. A store given in code (shared, persistent) keeps its own and is not seeded.
   */
  async #seedBudgets(sinks: readonly CallSink[]): Promise<void> {
    if (!this.#budgets || !this.#seedableSpend) return;
    // The longest window a budget has is a month (calendar or rolling): older calls count for none.
    const since = Date.now() - 32 * 24 * 60 * 60 * 1000;
    for (const sink of sinks) {
      if (!sink.spendSince) continue;
      try {
        await this.#budgets.seed(sink.spendSince(since));
      } catch (error) {
        this.#logger.warn({ sink: sink.name, error: error instanceof Error ? error.message : String(error) }, 'budgets not seeded from the call log: spend starts at zero');
      }
    }
  }

  #pluginOf(provider: string): PluginIdentity | undefined {
    const record = this.#entries.get(provider)?.record;
    return record ? { package: record.package, version: record.version } : undefined;
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
  #wrap(provider: LLMProvider, lifecycle: ProviderLifecycle): LLMProvider {
    const pipeline = this.config.values.pipeline;
    if (!pipeline.enabled) return guardProvider(provider, lifecycle);
    const name = provider.name;
    const policy = policyFor(pipeline, name);
    this.#probeTargets.set(name, lifecycle);
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
    return new ResilientProvider(provider, { policy, retry: pipeline.retry, breaker, limiter: this.#limiters.get(name), logger: this.#logger, lifecycle });
  }

  async #release(provider: LLMProvider): Promise<void> {
    if (!this.#created.delete(provider)) return;
    await this.#dispose(provider, provider.name);
  }

  /** Disposes a provider within `pluginTimeouts.disposeMs`; a failure or no answer is logged, never thrown. */
  async #dispose(provider: LLMProvider, name: string): Promise<void> {
    try {
      await boundedPluginCall('dispose', this.#target(name), () => provider.dispose(), this.#timeouts.disposeMs);
    } catch (error) {
      this.#logger.warn({ provider: name }, `dispose failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #lifecycle(provider: LLMProvider, name: string): ProviderLifecycle {
    return boundedLifecycle(provider, this.#target(name), this.#timeouts, (p) => this.#release(p));
  }

  /** Who a bounded call talks to, as its error names it. */
  #target(name: string): PluginCallTarget {
    return { plugin: this.#entries.get(name)?.record.package ?? name, provider: name };
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
