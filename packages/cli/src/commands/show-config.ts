import { ConfigValidationError, redactConfig, resolveProviderSettings, providerSettingSources } from '@autoarr-llm/core';
import type { CliIO } from '../cli-io.js';
import { describeError } from '../describe-error.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';

/** Dotted paths of the core settings' leaves (lists and empty objects count as leaves), computed so new settings are covered. */
function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return prefix ? [prefix] : [];
  // Top-level `providers` holds the plugins' settings, printed per provider below.
  const entries = Object.entries(value).filter(([k, v]) => v !== undefined && (prefix !== '' || k !== 'providers'));
  if (entries.length === 0) return prefix ? [prefix] : [];
  return entries.flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * Prints the effective configuration as JSON (it is JSON with or without `--json`): core values and
 * each installed provider's validated settings, each with where it came from; secrets masked.
 * A provider whose settings are invalid is listed under `problems` and the command exits 3.
 */
export async function showConfig(io: CliIO, flags: GlobalFlags): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const providers: Record<string, { settings: unknown; sources: Record<string, string> }> = {};
    const problems: Record<string, unknown> = {};
    let invalid = false;
    for (const name of factory.providerNames()) {
      try {
        const plugin = await factory.loadPlugin(name);
        const settings = await resolveProviderSettings(factory.config, plugin);
        const keys = typeof settings === 'object' && settings !== null ? Object.keys(settings) : [];
        providers[name] = { settings: redactConfig(settings, plugin.secretKeys), sources: providerSettingSources(factory.config, plugin, keys) };
      } catch (error) {
        invalid ||= ConfigValidationError.isInstance(error);
        problems[name] = describeError(error).json.error;
        if (!flags.json) io.err(`${describeError(error).text}\n`);
      }
    }
    // Leaf keys only: a parent's label names the first layer that set any of its children.
    const sourceOf = (key: string) => factory.config.sources.get(key) ?? 'default';
    const effective = {
      configFile: factory.config.configFile ?? null,
      appRoot: factory.config.appRoot,
      core: redactConfig({ ...factory.config.values, providers: undefined }),
      sources: Object.fromEntries([...new Set(['provider', ...leafKeys(factory.config.values)])].map((k) => [k, sourceOf(k)])),
      providers,
      ...(Object.keys(problems).length > 0 ? { problems } : {}),
    };
    io.out(`${JSON.stringify(effective, null, 2)}\n`);
    return invalid ? EXIT.CONFIG : EXIT.OK;
  } finally {
    await factory.dispose();
  }
}
