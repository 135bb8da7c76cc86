import { definePlugin, PROVIDER_API_VERSION } from '@autoarr-llm/core';
import { OPENAI_COMPATIBLE_PROVIDER_NAME, OpenAICompatibleProvider } from './openai-compatible-provider.js';
import { OPENAI_COMPATIBLE_ENV, OpenAICompatibleSettingsSchema } from './openai-compatible-settings.js';

/**
 * The plugin the host loads from this package's manifest (`autoarr-llm-plugin.entry`). Core reads
 * the settings from its config file and the `env` variables, validates them with `configSchema`,
 * and calls `create` only when this provider is selected.
 */
export default definePlugin({
  name: OPENAI_COMPATIBLE_PROVIDER_NAME,
  apiVersion: PROVIDER_API_VERSION,
  tier: 'free',
  description: 'Any OpenAI-compatible endpoint (llama-server, vLLM, LM Studio) through /v1/chat/completions',
  configSchema: OpenAICompatibleSettingsSchema,
  env: OPENAI_COMPATIBLE_ENV,
  secretKeys: ['apiKey'],
  create: (settings, context) => new OpenAICompatibleProvider(settings, { logger: context.logger }),
});
