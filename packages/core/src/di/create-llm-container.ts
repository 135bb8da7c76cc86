import type { DependencyContainer } from 'tsyringe';
import { loadConfig, type LoadConfigOptions } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { createConsoleLogger } from '../logging/create-console-logger.js';
import type { Logger } from '../logging/logger.js';
import { ProviderFactory, type ProviderRegistration } from '../factory/provider-factory.js';
import { LLM_CONFIG, LLM_LOGGER, LLM_PROVIDER, LLM_PROVIDER_FACTORY } from './tokens.js';

export interface CreateLlmContainerOptions extends LoadConfigOptions {
  /** Register into a child of this container (default: tsyringe's root container). */
  parent?: DependencyContainer;
  /** Use this configuration instead of loading one. */
  config?: ResolvedConfig;
  logger?: Logger;
  /** Ask for this provider (otherwise `LLM_PROVIDER` / the fallback order decides). */
  provider?: string;
  /** Providers registered in code before selection. */
  register?: Record<string, ProviderRegistration>;
  services?: ReadonlyMap<string, unknown>;
  /** Do not select a provider now: only config, logger and factory are registered. */
  lazy?: boolean;
}

export interface LlmContainer extends DependencyContainer {
  /** Disposes the providers the container's factory created. */
  disposeLlm(): Promise<void>;
}

/**
 * A tsyringe child container with the config, logger, factory and (unless `lazy`) the selected
 * provider registered under their tokens. No decorator metadata is needed: everything is
 * registered by value, and application classes inject with `@inject(LLM_PROVIDER)`.
 */
export async function createLlmContainer(options: CreateLlmContainerOptions = {}): Promise<LlmContainer> {
  const config = options.config ?? (await loadConfig(options));
  const logger = options.logger ?? createConsoleLogger({ level: 'warn' });
  const factory = new ProviderFactory({ config, logger, services: options.services ?? new Map() });
  for (const [name, registration] of Object.entries(options.register ?? {})) factory.registerProvider(name, registration);

  const child = (options.parent ?? (await rootContainer())).createChildContainer() as LlmContainer;
  child.register(LLM_CONFIG, { useValue: config });
  child.register(LLM_LOGGER, { useValue: logger });
  child.register(LLM_PROVIDER_FACTORY, { useValue: factory });
  if (!options.lazy) {
    const provider = await factory.createProvider(options.provider);
    child.register(LLM_PROVIDER, { useValue: provider });
  }
  child.disposeLlm = () => factory.dispose();
  return child;
}

/**
 * tsyringe's root container, loaded on first use: tsyringe and the Reflect metadata polyfill are a
 * good part of core's start-up, and only applications that use the container need them.
 */
async function rootContainer(): Promise<DependencyContainer> {
  // tsyringe needs the Reflect metadata API installed before it is evaluated.
  await import('reflect-metadata');
  return (await import('tsyringe')).container;
}
