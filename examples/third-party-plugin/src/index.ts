export { createOpenAICompatible, type CreateOpenAICompatibleOptions } from './create-openai-compatible.js';
export { OpenAICompatibleProvider, OPENAI_COMPATIBLE_PROVIDER_NAME, type OpenAICompatibleProviderOptions } from './openai-compatible-provider.js';
export {
  OpenAICompatibleSettingsSchema,
  OPENAI_COMPATIBLE_ENV,
  DEFAULT_OPENAI_COMPATIBLE_BASE_URL,
  DEFAULT_OPENAI_COMPATIBLE_TIMEOUT_MS,
  DEFAULT_OPENAI_COMPATIBLE_CHECK_TIMEOUT_MS,
  type OpenAICompatibleSettings,
  type OpenAICompatibleSettingsInput,
} from './openai-compatible-settings.js';
export { mapOpenAICompatibleError, type OpenAICompatibleErrorContext } from './map-openai-compatible-error.js';
export { default as openAICompatiblePlugin } from './plugin.js';
