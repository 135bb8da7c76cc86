import { ConfigValidationError } from '../errors/config-validation-error.js';
import type { ProviderPlugin } from '../plugin/define-plugin.js';
import { envLayer, mergeLayers, sourceOf } from './layered-values.js';
import type { ResolvedConfig } from './resolved-config.js';
import { zodIssuesToConfigIssues } from './zod-issues-to-config-issues.js';

/**
 * A provider's settings from every source (options > env > file), validated by its plugin's schema.
 * `extra` (from `createProvider(name, settings)`) sits above everything.
 */
export async function resolveProviderSettings<T>(
  config: ResolvedConfig,
  plugin: ProviderPlugin<T>,
  extra?: Record<string, unknown>,
): Promise<T> {
  const prefix = `providers.${plugin.name}`;
  const pick = (data: Record<string, unknown>) => {
    const providers = data['providers'];
    const own = typeof providers === 'object' && providers !== null ? (providers as Record<string, unknown>)[plugin.name] : undefined;
    return typeof own === 'object' && own !== null ? (own as Record<string, unknown>) : {};
  };
  const [fileLayer, , optionsLayer] = config.layers;
  const merged = mergeLayers([
    { label: fileLayer?.label ?? 'file', data: pick(fileLayer?.data ?? {}) },
    envLayer(config.env, plugin.env),
    { label: 'options', data: pick(optionsLayer?.data ?? {}) },
    { label: 'createProvider() settings', data: extra ?? {} },
  ]);
  const result = await plugin.configSchema['~standard'].validate(merged.value);
  if (result.issues) {
    throw new ConfigValidationError(
      zodIssuesToConfigIssues(result.issues as never, (key) => sourceOf(merged.sources, key.slice(prefix.length + 1)), prefix),
      { subject: `settings of provider "${plugin.name}"`, provider: plugin.name },
    );
  }
  return result.value;
}
