import type { ProviderPlugin, ResolvedConfig } from '@autoarr-llm/core';

function own(data: Record<string, unknown> | undefined, provider: string): Record<string, unknown> {
  const providers = data?.['providers'];
  const settings = typeof providers === 'object' && providers !== null ? (providers as Record<string, unknown>)[provider] : undefined;
  return typeof settings === 'object' && settings !== null ? (settings as Record<string, unknown>) : {};
}

/**
 * Where each of a provider's settings came from, by the precedence core applies (options > env >
 * file > default; of two variables for one key the first listed wins). Core reports sources for
 * its own keys only, so `config` works them out here from the same layers.
 */
export function providerSettingSources(config: ResolvedConfig, plugin: ProviderPlugin<unknown>, keys: readonly string[]): Record<string, string> {
  const [fileLayer, , optionsLayer] = config.layers;
  const fromFile = own(fileLayer?.data, plugin.name);
  const fromOptions = own(optionsLayer?.data, plugin.name);
  const sources: Record<string, string> = {};
  for (const key of keys) {
    const variable = Object.entries(plugin.env).find(([name, k]) => k === key && (config.env[name] ?? '') !== '')?.[0];
    sources[key] =
      fromOptions[key] !== undefined ? 'options' : variable ? `env ${variable}` : fromFile[key] !== undefined ? (fileLayer?.label ?? 'file') : 'default';
  }
  return sources;
}
