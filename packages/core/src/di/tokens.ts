import type { InjectionToken } from 'tsyringe';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import type { ProviderFactory } from '../factory/provider-factory.js';
import type { Logger } from '../logging/logger.js';

// Symbol.for keys: two copies of core in one install still agree on the tokens.

/** The effective configuration. */
export const LLM_CONFIG: InjectionToken<ResolvedConfig> = Symbol.for('autoarr-llm:config');
/** The provider factory that owns every provider's lifecycle. */
export const LLM_PROVIDER_FACTORY: InjectionToken<ProviderFactory> = Symbol.for('autoarr-llm:provider-factory');
/** The logger. */
export const LLM_LOGGER: InjectionToken<Logger> = Symbol.for('autoarr-llm:logger');
/** The selected provider (the fallback chain). Inject this in application classes. */
export const LLM_PROVIDER: InjectionToken<LLMProvider> = Symbol.for('autoarr-llm:provider');
