import { ConfigValidationError, LLMError, type ModelInfo } from '@autoarr-llm/core';
import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';
import { requireInstalled } from '../require-installed.js';

interface Failure {
  provider: string;
  code: string | undefined;
  message: string;
  error: unknown;
}

/**
 * Lists the models of one provider (its failure is the command's: exit 3, 4 or 5), or of every
 * installed provider, where one that cannot answer is reported on stderr (and under `failures`
 * with `--json`) and the others are still listed: exit 0 if any listed, 3 if a provider's settings
 * are invalid, else 4.
 */
export async function models(io: CliIO, flags: GlobalFlags, provider?: string): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    if (provider) await requireInstalled(factory, provider);
    const names = provider ? [provider] : factory.providerNames();
    const listed: ModelInfo[] = [];
    const failures: Failure[] = [];
    // One at a time: the output keeps the providers' order, and a slow provider is only waited for once.
    for (const name of names) {
      try {
        const p = await factory.createSingle(name);
        try {
          listed.push(...(await p.getModels()));
        } finally {
          await p.dispose();
        }
      } catch (error) {
        if (provider) throw error;
        failures.push({ provider: name, code: LLMError.isInstance(error) ? error.code : undefined, message: error instanceof Error ? error.message : String(error), error });
      }
    }
    if (flags.json) {
      io.out(`${JSON.stringify({ models: listed, failures: failures.map(({ error: _e, ...f }) => f) }, null, 2)}\n`);
    } else {
      for (const m of listed) {
        const caps = Object.entries(m.capabilities)
          .filter(([, v]) => v)
          .map(([k]) => k)
          .join(',');
        io.out(`${m.provider}\t${m.id}${m.contextLength ? `\tctx ${m.contextLength}` : ''}\t${caps}\n`);
      }
      for (const f of failures) io.err(`${f.provider}: cannot list models${f.code ? ` [${f.code}]` : ''}: ${f.message}\n`);
      if (names.length === 0) io.err('No provider plugins installed (install @autoarr-llm/provider-ollama or @autoarr-llm/provider-claude).\n');
    }
    if (failures.some((f) => ConfigValidationError.isInstance(f.error))) return EXIT.CONFIG;
    // Nothing installed, or no provider could answer.
    return failures.length === names.length ? EXIT.NO_PROVIDER : EXIT.OK;
  } finally {
    await factory.dispose();
  }
}
