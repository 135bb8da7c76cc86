import { z } from 'zod';
import { envBoolean, envList } from './env-schemas.js';
import { PipelineConfigSchema } from '../pipeline/pipeline-config.js';
import { LogConfigSchema, TelemetryConfigSchema } from '../sink/log-config.js';

// An npm package name, never a path: a plugin is resolved from the app's node_modules, nowhere else.
const PackageName = z
  .string()
  .max(214)
  .regex(/^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/, 'expected an npm package name such as autoarr-llm-provider-x (not a path)');
import { PluginTimeoutsSchema } from '../host/plugin-timeouts.js';
import { PricesSchema } from '../cost/price.js';
import { RoutingConfigSchema } from '../routing/routing-config.js';
import { BudgetsConfigSchema } from '../budget/budget-config.js';

const PluginRefSchema = z.union([
  PackageName,
  z
    .object({
      /** The plugin's package name. */
      package: PackageName,
      /** Strict: a failure to load this plugin fails the host instead of being reported and skipped. */
      strict: z.boolean().optional(),
    })
    .strict(),
], {
  error: (issue) => {
    // A string that is not a package name: say so, rather than the generic union message.
    if (typeof issue.input === 'string') return 'expected an npm package name such as autoarr-llm-provider-x (not a path)';
    return 'expected a package name, or { "package": name, "strict": boolean }';
  },
});
export type PluginRef = z.infer<typeof PluginRefSchema>;

/** The core configuration (`autoarr-llm.config.*`, `package.json#autoarr-llm`, env vars, options). */
export const AutoarrLlmConfigSchema = z
  .object({
    /** The provider to use (`LLM_PROVIDER`); when unset, the fallback order decides. */
    provider: z.string().min(1).optional(),
    fallback: z
      .object({
        /** `LLM_FALLBACK_ENABLED`: when false only the chosen provider is used. */
        enabled: envBoolean().default(true),
        /** `LLM_FALLBACK_ORDER`: provider names, first preferred (`ollama,claude`). */
        order: envList().optional(),
      })
      .strict()
      .default({ enabled: true }),
    /** Plugin packages to load besides those found in the app's dependencies. */
    plugins: z.array(PluginRefSchema).default([]),
    /** Private npm scopes whose packages may be loaded as plugins, e.g. `@autoarr-premium`. */
    allowScopes: z
      .array(z.string().regex(/^@[a-z0-9][a-z0-9._~-]*$/, 'expected an npm scope such as @autoarr-premium'))
      .default([]),
    /** Settings per provider, validated by that provider's plugin: `{ ollama: { model: 'qwen2.5:7b' } }`. */
    providers: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    /** Retries, deadlines, circuit breakers, rate limits, cache, coalescing, prices (docs/resilience.md). */
    pipeline: PipelineConfigSchema.prefault({}),
    /** The call log: every call and attempt in a SQLite file (docs/observability.md). */
    log: LogConfigSchema.prefault({}),
    /** OpenTelemetry spans and metrics (docs/observability.md). */
    telemetry: TelemetryConfigSchema.prefault({}),
    /** How long the host waits for each interaction with a plugin (docs/resilience.md). */
    pluginTimeouts: PluginTimeoutsSchema.prefault({}),
    /** Routing by complexity and capability (docs/routing.md); absent: the chain as configured. */
    routing: RoutingConfigSchema.optional(),
    /** Prices per million tokens over the defaults, keyed `provider/model` (a prefix) or `provider`. */
    prices: PricesSchema.default({}),
    /** Spending limits per provider, model or tag and period (docs/routing.md). */
    budgets: BudgetsConfigSchema.optional(),
  })
  .strict();

export type AutoarrLlmConfigInput = z.input<typeof AutoarrLlmConfigSchema>;
export type AutoarrLlmConfig = z.output<typeof AutoarrLlmConfigSchema>;

/** Core's environment variables and the keys they set. */
export const CORE_ENV: Readonly<Record<string, string>> = {
  LLM_PROVIDER: 'provider',
  LLM_FALLBACK_ENABLED: 'fallback.enabled',
  LLM_FALLBACK_ORDER: 'fallback.order',
  AUTOARR_LLM_LOG: 'log.enabled',
  AUTOARR_LLM_LOG_PATH: 'log.path',
};

/** The free build's default chain, and the premium one (used when a premium plugin is installed). */
export const FREE_DEFAULT_CHAIN = ['ollama', 'claude'] as const;
export const PREMIUM_DEFAULT_CHAIN = ['custom', 'claude'] as const;
