import { lenientConfigOf, loadConfig, type LoadConfigOptions } from '../config/load-config.js';
import { ConfigValidationError, type ConfigIssue } from '../errors/config-validation-error.js';
import type { Logger } from '../logging/logger.js';
import { ProviderFactory, type ProviderFactoryOptions, type ProviderRegistration } from './provider-factory.js';

export interface OpenProviderFactoryOptions extends LoadConfigOptions {
  logger?: Logger;
  /** Providers registered in code before the settings are checked (their sections are then known). */
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
 * Loads the configuration, discovers plugins and checks every setting — core's and every configured
 * provider's, from every source — throwing one `ConfigValidationError` that lists them all, rather
 * than core's problems first and each provider's on later runs.
 */
export async function openProviderFactory(options: OpenProviderFactoryOptions = {}): Promise<ProviderFactory> {
  let coreIssues: ConfigIssue[] = [];
  let config;
  try {
    config = await loadConfig(options);
  } catch (error) {
    config = lenientConfigOf(error);
    if (!config || !ConfigValidationError.isInstance(error)) throw error;
    coreIssues = error.issues;
  }
  let factory: ProviderFactory;
  try {
    factory = new ProviderFactory({ config, ...(options.logger ? { logger: options.logger } : {}), ...(options.services ? { services: options.services } : {}), ...(options.sinks !== undefined ? { sinks: options.sinks } : {}), ...(options.router ? { router: options.router } : {}), ...(options.spendStore ? { spendStore: options.spendStore } : {}) });
  } catch (error) {
    // A strict plugin's failure under a config that is itself invalid: the config is what to fix first.
    if (coreIssues.length > 0) throw new ConfigValidationError(coreIssues);
    throw error;
  }
  try {
    for (const [name, registration] of Object.entries(options.register ?? {})) factory.registerProvider(name, registration);
    const providerIssues = await factory.validateConfig().then(
      () => [],
      (error: unknown) => (ConfigValidationError.isInstance(error) ? error.issues : Promise.reject(error)),
    );
    if (coreIssues.length + providerIssues.length > 0) throw new ConfigValidationError([...coreIssues, ...providerIssues]);
    return factory;
  } catch (error) {
    await factory.dispose();
    throw error;
  }
}
