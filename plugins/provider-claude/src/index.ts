export { ClaudeProvider, createClaude, CLAUDE_PROVIDER_NAME, type ClaudeProviderOptions, type CreateClaudeOptions } from './claude-provider.js';
export {
  ClaudeSettingsSchema,
  CLAUDE_ENV,
  DEFAULT_CLAUDE_MODEL,
  DEFAULT_CLAUDE_BASE_URL,
  DEFAULT_CLAUDE_MAX_TOKENS,
  DEFAULT_CLAUDE_TIMEOUT_MS,
  DEFAULT_CLAUDE_CHECK_TIMEOUT_MS,
  type ClaudeSettings,
  type ClaudeSettingsInput,
} from './claude-settings.js';
export { KNOWN_CLAUDE_MODELS } from './known-claude-models.js';
export { mapStopReason } from './map-stop-reason.js';
export { mapAnthropicError } from './map-anthropic-error.js';
export { SAMPLING_REMOVED_IN_API_VERSION, sendsSamplingParameters } from './sends-sampling-parameters.js';
export { CLAUDE_IMAGE_MEDIA_TYPES, CLAUDE_MAX_IMAGE_BYTES } from './to-anthropic-image.js';
export { default as claudePlugin } from './plugin.js';
