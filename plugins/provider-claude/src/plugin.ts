import { definePlugin, PROVIDER_API_VERSION } from '@autoarr-llm/core';
import { ClaudeProvider } from './claude-provider.js';
import { CLAUDE_ENV, ClaudeSettingsSchema } from './claude-settings.js';

/** The plugin entry (package.json `autoarr-llm-plugin.entry`). */
export default definePlugin({
  name: 'claude',
  apiVersion: PROVIDER_API_VERSION,
  tier: 'free',
  description: 'Claude through the Anthropic Messages API (@anthropic-ai/sdk)',
  configSchema: ClaudeSettingsSchema,
  env: CLAUDE_ENV,
  secretKeys: ['apiKey'],
  // Never throws for a missing key: the provider is created and reports itself unavailable.
  create: (settings, context) => new ClaudeProvider(settings, { logger: context.logger }),
});
