import { ConfigValidationError } from '@autoarr-llm/core';
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
  const env = options.env ?? process.env;
  const fromEnv: Record<string, unknown> = {};
  for (const [variable, key] of Object.entries(OPENAI_COMPATIBLE_ENV)) {
    const value = env[variable];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  const parsed = OpenAICompatibleSettingsSchema.safeParse({ ...fromEnv, ...given });
  if (!parsed.success) {
    const variableFor = (key: string) => Object.entries(OPENAI_COMPATIBLE_ENV).find(([variable, k]) => k === key && given[key] === undefined && env[variable])?.[0];
    throw new ConfigValidationError(
      parsed.error.issues.map((issue) => {
        const variable = variableFor(String(issue.path[0]));
        return { key: `providers.${OPENAI_COMPATIBLE_PROVIDER_NAME}.${issue.path.map(String).join('.')}`, source: variable ? `env ${variable}` : 'createOpenAICompatible() settings', message: issue.message };
      }),
      { subject: `settings of provider "${OPENAI_COMPATIBLE_PROVIDER_NAME}"`, provider: OPENAI_COMPATIBLE_PROVIDER_NAME },
    );
  }
  return new OpenAICompatibleProvider(parsed.data, options);
}
