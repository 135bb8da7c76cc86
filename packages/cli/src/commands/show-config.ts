import { redactConfig, resolveProviderSettings } from '@autoarr-llm/core';
import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';

/** Prints the effective configuration with where each value came from; secrets masked. */
export async function showConfig(io: CliIO, flags: GlobalFlags & { json?: boolean | undefined }): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const providers: Record<string, unknown> = {};
    const problems: Record<string, string> = {};
    for (const name of factory.providerNames()) {
      try {
        const plugin = await factory.loadPlugin(name);
        providers[name] = redactConfig(await resolveProviderSettings(factory.config, plugin), plugin.secretKeys);
      } catch (error) {
        problems[name] = error instanceof Error ? error.message : String(error);
      }
    }
    const effective = {
      configFile: factory.config.configFile ?? null,
      core: redactConfig({ ...factory.config.values, providers: undefined }),
      sources: Object.fromEntries([...factory.config.sources].filter(([k]) => !k.startsWith('providers'))),
      providers,
      ...(Object.keys(problems).length > 0 ? { problems } : {}),
    };
    io.out(`${JSON.stringify(effective, null, 2)}\n`);
    return EXIT.OK;
  } finally {
    await factory.dispose();
  }
}
