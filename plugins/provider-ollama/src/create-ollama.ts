import { ConfigValidationError } from '@autoarr-llm/core';
import { OllamaProvider, type OllamaProviderOptions } from './ollama-provider.js';
import { OllamaSettingsSchema, type OllamaSettingsInput } from './ollama-settings.js';

/**
 * Creates an Ollama provider from settings written in code (defaults fill the rest). Environment
 * variables are the plugin host's business: use the plugin (or core's `createProvider`) for those.
 */
export function createOllama(settings: OllamaSettingsInput = {}, options: OllamaProviderOptions = {}): OllamaProvider {
  const parsed = OllamaSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new ConfigValidationError(
      parsed.error.issues.map((i) => ({ key: `providers.ollama.${i.path.join('.')}`, source: 'createOllama() settings', message: i.message })),
      { subject: 'settings of provider "ollama"', provider: 'ollama' },
    );
  }
  return new OllamaProvider(parsed.data, options);
}
