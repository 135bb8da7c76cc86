import type { StandardSchemaV1 } from '../plugin/standard-schema.js';
import { envLayer } from './layered-values.js';
import { mergeAndValidate } from './validate-settings-layers.js';

export interface SettingsDefinition<T> {
  /** The provider's name (used in keys and messages: `providers.<name>.<key>`). */
  name: string;
  configSchema: StandardSchemaV1<unknown, T>;
  /** Environment variables and the settings keys they fill (`{ OLLAMA_URL: 'baseUrl' }`). */
  env?: Readonly<Record<string, string>>;
}

/**
 * A provider's settings outside the plugin host (`createClaude(settings)` and the like): settings
 * given in code win over the plugin's environment variables, which win over the schema's defaults.
 * Every bad value is reported at once, naming the variable when one set it. The schema must
 * validate synchronously (zod schemas do).
 */
export function settingsFromEnv<T>(
  definition: SettingsDefinition<T>,
  settings: object = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
  label = `${definition.name} settings in code`,
): T {
  const given = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  const run = mergeAndValidate(definition.name, definition.configSchema, [envLayer(env, definition.env ?? {}), { label, data: given }]);
  const result = definition.configSchema['~standard'].validate(run.value);
  if (result instanceof Promise) throw new TypeError(`settingsFromEnv(${definition.name}): the settings schema validates asynchronously; use resolveProviderSettings`);
  return run.check(result);
}
