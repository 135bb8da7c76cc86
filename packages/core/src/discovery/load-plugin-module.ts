import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROVIDER_API_VERSION } from '../contract/llm-provider.js';
import { PluginLoadError } from '../errors/plugin-load-error.js';
import { isProviderPlugin, type ProviderPlugin } from '../plugin/define-plugin.js';
import type { PluginRecord } from './plugin-record.js';
import { entryOutside } from './discover-plugins.js';

/** Imports a discovered plugin's entry and checks what it exports. Called only on selection. */
export async function loadPluginModule(record: PluginRecord): Promise<ProviderPlugin> {
  if (!record.dir || !record.manifest) {
    throw new PluginLoadError(record.package, 'bad-manifest', `Plugin ${record.package}: ${record.reason ?? 'not loadable'}`);
  }
  // Checked again at import: the package may have changed since discovery.
  if (entryOutside(record.dir, record.manifest.entry)) {
    throw new PluginLoadError(record.package, 'bad-manifest', `Plugin ${record.package}: manifest entry ${record.manifest.entry} resolves outside the package`, { provider: record.provider });
  }
  const url = pathToFileURL(resolve(record.dir, record.manifest.entry)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new PluginLoadError(
      record.package,
      'import-failed',
      `Plugin ${record.package} failed to import ${record.manifest.entry}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, provider: record.provider },
    );
  }
  const plugin = mod['default'] ?? mod['plugin'];
  if (!isProviderPlugin(plugin)) {
    throw new PluginLoadError(
      record.package,
      'bad-export',
      `Plugin ${record.package}: ${record.manifest.entry} must export (as default) a plugin made with definePlugin()`,
      { provider: record.provider },
    );
  }
  if (plugin.apiVersion !== PROVIDER_API_VERSION) {
    throw new PluginLoadError(record.package, 'api-version', `Plugin ${record.package} implements provider API v${plugin.apiVersion}; this core supports v${PROVIDER_API_VERSION}`, {
      provider: record.provider,
    });
  }
  if (plugin.name !== record.manifest.provider) {
    throw new PluginLoadError(
      record.package,
      'name-mismatch',
      `Plugin ${record.package}: its manifest says provider "${record.manifest.provider}" but its code defines "${plugin.name}"`,
      { provider: record.provider },
    );
  }
  return plugin;
}
