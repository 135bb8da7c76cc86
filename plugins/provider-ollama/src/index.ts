export { createOllama } from './create-ollama.js';
export {
  OllamaProvider,
  OLLAMA_AVAILABILITY_TIMEOUT_MS,
  type OllamaProviderOptions,
  type ModelManagementOptions,
  type WarmUpResult,
} from './ollama-provider.js';
export {
  OllamaSettingsSchema,
  OLLAMA_DEFAULTS,
  OLLAMA_ENV,
  type OllamaSettings,
  type OllamaSettingsInput,
  type OllamaModelId,
} from './ollama-settings.js';
export { OllamaCallOptionsSchema, type OllamaCallOptions } from './ollama-provider-options.js';
export type { PullProgress } from './pull-progress.js';
export { default as ollamaPlugin } from './plugin.js';
