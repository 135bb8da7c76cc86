import type { LoadConfigOptions } from '../config/load-config.js';
import type { Logger } from '../logging/logger.js';
import type { PipelineProvider } from '../pipeline/pipeline-provider.js';
import { openProviderFactory } from './open-provider-factory.js';
import type { ProviderFactoryOptions, ProviderRegistration } from './provider-factory.js';

export interface CreateProviderOptions extends LoadConfigOptions {
  logger?: Logger;
  /** Settings for the named provider, above every other source. */
  settings?: Record<string, unknown>;
  register?: Record<string, ProviderRegistration>;
  services?: ReadonlyMap<string, unknown>;
  /** Call sinks besides the automatic ones; `false`: none at all (see `ProviderFactoryOptions.sinks`). */
  sinks?: ProviderFactoryOptions['sinks'];
  /** Replaces the default routing scorer (see `routing` in the config). */
  router?: ProviderFactoryOptions['router'];
  /** Where budgets keep spend (default: in memory). */
  spendStore?: ProviderFactoryOptions['spendStore'];
}

/**
 * The one-call way in (the seed's `LLMProviderFactory.create_provider()`): loads the config,
 * discovers plugins and returns the first available provider of the chain. Disposing the returned
 * provider disposes everything it created.
 */
export async function createProvider(name?: string, options: CreateProviderOptions = {}): Promise<PipelineProvider> {
  // Every setting of core and of every configured provider is checked before anything is created.
  const factory = await openProviderFactory(options);
  try {
    return await factory.createProvider(name, options.settings, { onDispose: () => factory.dispose() });
  } catch (error) {
    await factory.dispose();
    throw error;
  }
}
