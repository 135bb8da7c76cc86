// Contract
export * from './contract/message.js';
export * from './contract/tool.js';
export * from './contract/call-options.js';
export * from './contract/response.js';
export * from './contract/model-info.js';
export * from './contract/health-report.js';
export * from './contract/stream-event.js';
export type { LLMStream } from './contract/llm-stream.js';
export { PROVIDER_API_VERSION, type LLMProvider } from './contract/llm-provider.js';

// Errors
export { LLMError, type LLMErrorOptions } from './errors/llm-error.js';
export { ProviderError } from './errors/provider-error.js';
export { ProviderUnavailableError } from './errors/provider-unavailable-error.js';
export { AuthenticationError } from './errors/authentication-error.js';
export { PermissionDeniedError } from './errors/permission-denied-error.js';
export { RateLimitError } from './errors/rate-limit-error.js';
export { QuotaExhaustedError } from './errors/quota-exhausted-error.js';
export { OverloadedError } from './errors/overloaded-error.js';
export { ServerError } from './errors/server-error.js';
export { TimeoutError, type TimeoutPhase } from './errors/timeout-error.js';
export { AbortedError } from './errors/aborted-error.js';
export { ModelNotFoundError } from './errors/model-not-found-error.js';
export { ModelLoadingError } from './errors/model-loading-error.js';
export { InvalidRequestError } from './errors/invalid-request-error.js';
export { ContextLengthError } from './errors/context-length-error.js';
export { IncompleteStreamError } from './errors/incomplete-stream-error.js';
export { MalformedResponseError } from './errors/malformed-response-error.js';
export { StructuredOutputError } from './errors/structured-output-error.js';
export { UnsupportedFeatureError } from './errors/unsupported-feature-error.js';
export { LicenseError, type LicenseProblem } from './errors/license-error.js';
export { PluginLoadError, type PluginProblem } from './errors/plugin-load-error.js';
export { PluginTimeoutError, type PluginStage } from './errors/plugin-timeout-error.js';
export { ConfigValidationError, type ConfigIssue } from './errors/config-validation-error.js';
export { NoProviderAvailableError, type ProviderAttempt } from './errors/no-provider-available-error.js';
export { BudgetExceededError, type BudgetRefusal } from './errors/budget-exceeded-error.js';
export { NoCapableModelError, type RequiredCapability } from './errors/no-capable-model-error.js';
export { ERROR_CODES, type ErrorCode } from './errors/error-codes.js';

// Secrets and logging
export { Secret } from './secret/secret.js';
export { redactSecrets, REDACTED } from './secret/redact-secrets.js';
export type { Logger, LogFn, LogLevel } from './logging/logger.js';
export { createConsoleLogger, silentLogger, type ConsoleLoggerOptions } from './logging/create-console-logger.js';

// Providers and streams
export { BaseLLMProvider, DEFAULT_AVAILABILITY_TIMEOUT_MS } from './provider/base-llm-provider.js';
export { validateCall } from './provider/validate-call.js';
export { parseStructuredOutput } from './provider/parse-structured-output.js';
export { parseRetryAfter, parseRetryAfterValue, type HeaderReader } from './provider/parse-retry-after.js';
export { abortableSleep, waitForAbort } from './provider/abortable-sleep.js';
export { classifyNetworkFailure, socketErrorCode } from './provider/network-failure.js';
export { createLLMStream, type StreamSource, type StreamEventIterator, type CreateLLMStreamOptions } from './stream/create-llm-stream.js';
export { openCallSignal, type CallSignal } from './stream/call-signal.js';
export { isCallScoped, markCallScoped } from './stream/call-scoped-signal.js';
export { NEVER_ABORTED, onAbort as onCallAbort, toSignal as signalOf, type CallAbort, type CallAbortScope } from './pipeline/call-abort-scope.js';
export type { OpenedEvents } from './stream/stream-event-source.js';

// Plugins
export { definePlugin, isProviderPlugin, type PluginDefinition, type ProviderPlugin, type PluginTier } from './plugin/define-plugin.js';
export type { PluginContext } from './plugin/plugin-context.js';
export type { StandardSchemaV1, StandardIssue, StandardResult, InferOutput } from './plugin/standard-schema.js';
export { discoverPlugins, type DiscoverPluginsOptions } from './discovery/discover-plugins.js';
export { loadPluginModule } from './discovery/load-plugin-module.js';
export { boundedPluginCall, type BoundedPluginCallOptions, type PluginCallTarget } from './host/bounded-plugin-call.js';
export { PluginTimeoutsSchema, DEFAULT_PLUGIN_TIMEOUTS, type PluginTimeouts } from './host/plugin-timeouts.js';
export { MANIFEST_KEY, PluginManifestSchema, type PluginManifest } from './discovery/plugin-manifest.js';
export type { PluginRecord, PluginSource, PluginStatus } from './discovery/plugin-record.js';
export { CORE_VERSION } from './discovery/core-version.js';

// Configuration
export {
  AutoarrLlmConfigSchema,
  CORE_ENV,
  FREE_DEFAULT_CHAIN,
  PREMIUM_DEFAULT_CHAIN,
  type AutoarrLlmConfig,
  type AutoarrLlmConfigInput,
  type PluginRef,
} from './config/config-schema.js';
export { environmentConfig } from './config/environment-config.js';
export { loadConfig, CONFIG_MODULE_NAME, CONFIG_SEARCH_PLACES, DEFAULT_CONFIG_TIMEOUT_MS, type LoadConfigOptions } from './config/load-config.js';
export type { ResolvedConfig, ConfigEnv } from './config/resolved-config.js';
export { MAX_CONFIG_NODES, MAX_CONFIG_DEPTH } from './config/check-config-shape.js';
export { resolveProviderSettings, providerSettingSources } from './config/resolve-provider-settings.js';
export { settingsFromEnv, type SettingsDefinition } from './config/settings-from-env.js';
export { envBoolean, envNumber, envList, secretString, envDurationMs, envDurationSeconds, MAX_TIMER_MS } from './config/env-schemas.js';
export { redactConfig } from './config/redact-config.js';

// Security
export { prepareUntrustedInput, type UntrustedInput, type UntrustedInputOptions } from './security/prepare-untrusted-input.js';

// Factory and DI
export { ProviderFactory, type ProviderFactoryOptions, type ProviderRegistration } from './factory/provider-factory.js';
export { FallbackProvider } from './factory/fallback-provider.js';
export { createProvider, type CreateProviderOptions } from './factory/create-provider.js';
export { openProviderFactory, type OpenProviderFactoryOptions } from './factory/open-provider-factory.js';
export { resolveChain, type ChainPlan, type PremiumState } from './factory/resolve-chain.js';
export { shouldFallBack } from './factory/should-fall-back.js';
export { LLM_CONFIG, LLM_LOGGER, LLM_PROVIDER, LLM_PROVIDER_FACTORY } from './di/tokens.js';
export { createLlmContainer, type CreateLlmContainerOptions, type LlmContainer } from './di/create-llm-container.js';

// Resilience pipeline
export { PipelineConfigSchema, ProviderPolicySchema, policyFor, type PipelineConfig, type PipelineConfigInput, type ProviderPolicy } from './pipeline/pipeline-config.js';
export { PipelineProvider, type BatchRequest, type BatchResult, type PipelineProviderOptions } from './pipeline/pipeline-provider.js';
export { ResilientProvider, type ResilientProviderOptions } from './pipeline/resilient-provider.js';
export { CircuitBreaker, type BreakerState, type CircuitBreakerOptions } from './pipeline/circuit-breaker.js';
export { RateLimiter, type RateLimiterOptions } from './pipeline/rate-limiter.js';
export { ResponseCache, type CachedAnswer } from './pipeline/response-cache.js';
export { UsageLedger, type LedgerEntry, type LedgerTotals } from './pipeline/usage-ledger.js';
export { backoffDelay, type BackoffOptions } from './pipeline/backoff-delay.js';
export { requestKey } from './pipeline/request-key.js';
export { estimateTokens, estimateMessageTokens } from './pipeline/estimate-tokens.js';
export type { CallEvent, CallListener } from './pipeline/call-event.js';
export type { AttemptRecord } from './pipeline/call-context.js';

// Call sinks and telemetry
export type { CallSink, CallSinkContext, CallSinkModule, PluginIdentity } from './sink/call-sink.js';
export { LogConfigSchema, TelemetryConfigSchema, ContentPolicySchema, type LogConfig, type TelemetryConfig, type ContentPolicy } from './sink/log-config.js';
export { CALL_LOG_PACKAGE, loadCallLogSink } from './sink/load-call-log-sink.js';
export { createTelemetrySink, telemetryRegistered } from './telemetry/create-telemetry-sink.js';
// Routing, cost and budgets
export { RouteSummarySchema, CallCostSchema, type RouteSummary, type CallCost } from './contract/route-summary.js';
export { PriceSchema, PricesSchema, type Price, type PriceInput, type Prices } from './cost/price.js';
export { DEFAULT_PRICES } from './cost/default-prices.js';
export { PriceTable } from './cost/price-table.js';
export { costOf, type BilledTokens } from './cost/cost-of.js';
export { RoutingConfigSchema, TIERS, type RoutingConfig, type RoutingConfigInput, type Tier, type DeclaredModel } from './routing/routing-config.js';
export { requestFeatures, compilePatterns, type RequestFeatures, type CompiledPattern } from './routing/request-features.js';
export { scoreFeatures, scoreOf, type Score } from './routing/score-features.js';
export { Router, type RouteCandidate, type RouteDecision } from './routing/router.js';
export type { CustomRouter, RouteRequest, RouteVerdict } from './routing/custom-router.js';
export { RoutedChain, type RoutingSetup } from './routing/routed-chain.js';
export { routingActive } from './routing/create-routing-setup.js';
export { BudgetSchema, BudgetsConfigSchema, type Budget, type BudgetsConfig, type BudgetsConfigInput } from './budget/budget-config.js';
export { BudgetGuard, type BudgetReservation, type BudgetStatus, type SpendEntry } from './budget/budget-guard.js';
export { MemorySpendStore } from './budget/memory-spend-store.js';
export type { SpendStore, SpendClaim, SpendUsage, MaybePromise } from './budget/spend-store.js';
export { windowStart, windowEnd } from './budget/window-start.js';
