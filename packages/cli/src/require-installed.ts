import type { ProviderFactory } from '@autoarr-llm/core';

/**
 * Fails with core's `PluginLoadError` (naming the package to install) when no plugin provides
 * `name`. The chain would otherwise skip a provider asked for with `--provider` and quietly answer
 * with another one, which is not what someone who typed the name wants.
 */
export async function requireInstalled(factory: ProviderFactory, name: string): Promise<void> {
  if (!factory.providerNames().includes(name)) await factory.loadPlugin(name);
}
