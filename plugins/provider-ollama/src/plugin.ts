import { definePlugin, PROVIDER_API_VERSION } from '@autoarr-llm/core';
import { OllamaProvider } from './ollama-provider.js';
import { OLLAMA_ENV, OllamaSettingsSchema } from './ollama-settings.js';

/** The plugin the host loads from this package's manifest (`./dist/plugin.js`). */
export default definePlugin({
  name: 'ollama',
  apiVersion: PROVIDER_API_VERSION,
  tier: 'free',
  description: 'Local models through the Ollama daemon (no API key), with model management',
  configSchema: OllamaSettingsSchema,
  env: OLLAMA_ENV,
  create: (settings, context) => new OllamaProvider(settings, { logger: context.logger }),
});
