import type { ConfigIssue } from '../errors/config-validation-error.js';
import type { ProviderPlugin } from '../plugin/define-plugin.js';
import { envLayer, mergeLayers, sourceOf, type Layer } from './layered-values.js';
import type { ResolvedConfig } from './resolved-config.js';
import { mergeAndValidate } from './validate-settings-layers.js';

/**
 * A provider's settings from every source (options > env > file), validated by its plugin's schema.
 * `extra` (from `createProvider(name, settings)`) sits above everything.
 */
export async function resolveProviderSettings<T>(
  config: ResolvedConfig,
  plugin: ProviderPlugin<T>,
  extra?: Record<string, unknown>,
): Promise<T> {
  const run = mergeAndValidate(plugin.name, plugin.configSchema, settingsLayers(config, plugin as ProviderPlugin<unknown>, extra));
  return run.check(await plugin.configSchema['~standard'].validate(run.value));
}

/** The problems of a provider's settings from every source, as a list (empty when they are valid). */
export async function resolveProviderSettingsIssues(config: ResolvedConfig, plugin: ProviderPlugin<unknown>): Promise<ConfigIssue[]> {
  const run = mergeAndValidate(plugin.name, plugin.configSchema, settingsLayers(config, plugin));
  return run.issues(await plugin.configSchema['~standard'].validate(run.value));
}

/**
 * Where each of a provider's settings keys came from (`file …`, `env OLLAMA_URL`, `options`), by the
 * same precedence `resolveProviderSettings` applies; keys no source set are `default`.
 */
export function providerSettingSources(config: ResolvedConfig, plugin: ProviderPlugin<unknown>, keys: readonly string[]): Record<string, string> {
  const { sources } = mergeLayers(settingsLayers(config, plugin));
  return Object.fromEntries(keys.map((key) => [key, sourceOf(sources, key)]));
}

function settingsLayers(config: ResolvedConfig, plugin: ProviderPlugin<unknown>, extra?: Record<string, unknown>): Layer[] {
  const pick = (data: Record<string, unknown>) => {
    const providers = data['providers'];
    const own = typeof providers === 'object' && providers !== null ? (providers as Record<string, unknown>)[plugin.name] : undefined;
    return typeof own === 'object' && own !== null ? (own as Record<string, unknown>) : {};
  };
  const [fileLayer, , optionsLayer] = config.layers;
  return [
    { label: fileLayer?.label ?? 'file', data: pick(fileLayer?.data ?? {}) },
    envLayer(config.env, plugin.env),
    { label: 'options', data: pick(optionsLayer?.data ?? {}) },
    { label: 'createProvider() settings', data: extra ?? {} },
  ];
}
