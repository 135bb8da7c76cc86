import type { HealthReport } from '../contract/health-report.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import { LLMError } from '../errors/llm-error.js';
import { boundedPluginCall, type PluginCallTarget } from '../host/bounded-plugin-call.js';
import type { PluginTimeouts } from '../host/plugin-timeouts.js';

/** The lifecycle of a provider, each part bounded by the host (see `guardProvider`). */
export interface ProviderLifecycle {
  isAvailable(): Promise<boolean>;
  healthCheck(): Promise<HealthReport>;
  getModels(): ReturnType<LLMProvider['getModels']>;
  dispose(): Promise<void>;
}

/**
 * `provider`'s checks, model list and disposal, each raced against the host's bound for it
 * (`pluginTimeouts`). `isAvailable()` and `healthCheck()` keep their contract (never throw): a check
 * that does not answer means "not available", and a `down` report naming the plugin and the check.
 * `dispose` is the factory's `release` (bounded, never rejects).
 */
export function boundedLifecycle(provider: LLMProvider, target: PluginCallTarget, timeouts: PluginTimeouts, release: (provider: LLMProvider) => Promise<void>): ProviderLifecycle {
  return {
    isAvailable: () => boundedPluginCall('isAvailable', target, () => provider.isAvailable(), timeouts.isAvailableMs).catch(() => false),
    healthCheck: async () => {
      const started = performance.now();
      try {
        return await boundedPluginCall('healthCheck', target, () => provider.healthCheck(), timeouts.healthCheckMs);
      } catch (error) {
        return {
          provider: provider.name,
          status: 'down',
          reachable: false,
          latencyMs: Math.round(performance.now() - started),
          reason: error instanceof Error ? error.message : String(error),
          ...(LLMError.isInstance(error) ? { details: { code: error.code } } : {}),
        };
      }
    },
    getModels: () => boundedPluginCall('getModels', target, () => provider.getModels(), timeouts.getModelsMs),
    dispose: () => release(provider),
  };
}

/**
 * The provider as the factory hands it out on its own (`createSingle`): the same object to its
 * users (its class, its settings, extensions such as `pullModel`), with the lifecycle above in
 * place of the plugin's own. A proxy rather than a wrapper class, so that `instanceof` and the
 * provider's own members keep working.
 */
export function guardProvider(provider: LLMProvider, lifecycle: ProviderLifecycle): LLMProvider {
  return new Proxy(provider, {
    get(target, key) {
      if (key === 'isAvailable' || key === 'healthCheck' || key === 'getModels' || key === 'dispose') return lifecycle[key];
      const value: unknown = Reflect.get(target, key, target);
      // Methods run on the provider itself (its private fields are not on the proxy).
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
