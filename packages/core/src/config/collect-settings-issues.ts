import type { ConfigIssue } from '../errors/config-validation-error.js';
import type { ProviderPlugin } from '../plugin/define-plugin.js';
import { sourceOf } from './layered-values.js';
import { resolveProviderSettingsIssues } from './resolve-provider-settings.js';
import type { ResolvedConfig } from './resolved-config.js';
import { unknownKeyMessage } from './suggest-key.js';

/**
 * The problems of every provider section of the config (file and options), in one list: sections
 * naming no known provider ("did you mean"), and each configured provider's settings as its plugin's
 * schema sees them. `pluginOf` yields `undefined` for a provider whose plugin cannot be loaded (the
 * load report says why).
 */
export async function collectSettingsIssues(
  config: ResolvedConfig,
  known: ReadonlySet<string>,
  pluginOf: (name: string) => Promise<ProviderPlugin<unknown> | undefined>,
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const configured = new Set<string>();
  for (const layer of config.layers) {
    const providers = layer.data['providers'];
    if (typeof providers === 'object' && providers !== null) for (const name of Object.keys(providers)) configured.add(name);
  }
  for (const name of [...configured].sort()) {
    if (!known.has(name)) {
      const key = `providers.${name}`;
      issues.push({ key, source: sourceOf(config.sources, key), message: `${unknownKeyMessage(name, known, 'provider')} (no installed or registered plugin serves "${name}")` });
      continue;
    }
    const plugin = await pluginOf(name);
    if (plugin) issues.push(...(await resolveProviderSettingsIssues(config, plugin)));
  }
  return issues;
}
