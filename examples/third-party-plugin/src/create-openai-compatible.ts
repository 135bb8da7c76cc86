import { settingsFromEnv } from '@autoarr-llm/core';
import { OPENAI_COMPATIBLE_PROVIDER_NAME, OpenAICompatibleProvider, type OpenAICompatibleProviderOptions } from './openai-compatible-provider.js';
import { OPENAI_COMPATIBLE_ENV, OpenAICompatibleSettingsSchema, type OpenAICompatibleSettingsInput } from './openai-compatible-settings.js';

export interface CreateOpenAICompatibleOptions extends OpenAICompatibleProviderOptions {
  /** Where unset settings are read from (`OPENAI_COMPATIBLE_*`). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Creates the provider in code, without the plugin host: settings given here win over the
 * `OPENAI_COMPATIBLE_*` environment variables, which win over the defaults. Every bad setting is
 * reported at once, naming the variable when one set it.
 */
export function createOpenAICompatible(settings: OpenAICompatibleSettingsInput = {}, options: CreateOpenAICompatibleOptions = {}): OpenAICompatibleProvider {
  const parsed = settingsFromEnv(
    { name: OPENAI_COMPATIBLE_PROVIDER_NAME, configSchema: OpenAICompatibleSettingsSchema, env: OPENAI_COMPATIBLE_ENV },
    settings,
    options.env ?? process.env,
    'createOpenAICompatible() settings',
  );
  return new OpenAICompatibleProvider(parsed, options);
}
