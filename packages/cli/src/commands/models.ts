import { ConfigValidationError, LLMError, ModelNotFoundError, type ModelInfo } from '@autoarr-llm/core';
import { CliError } from '../cli-error.js';
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

/**
 * Deletes a downloaded model through a provider that keeps a model cache (one with `removeModel`,
 * such as the premium custom provider). Duck-typed like `pullModel`: the provider may come from
 * another copy of its package.
 */
export async function removeModel(io: CliIO, flags: GlobalFlags, provider: string, model: string): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    await requireInstalled(factory, provider);
    const p = await factory.createSingle(provider);
    try {
      const remove = (p as unknown as { removeModel?: unknown }).removeModel;
      if (typeof remove !== 'function') throw new CliError('UNSUPPORTED_FEATURE', `provider "${provider}" cannot remove models`);
      const removed = (await (remove as (id: string) => Promise<boolean>).call(p, model)) === true;
      if (!removed) throw new ModelNotFoundError(model, `${provider} has no downloaded model "${model}"`, { provider });
      if (flags.json) io.out(`${JSON.stringify({ provider, model, status: 'removed' }, null, 2)}\n`);
      else io.out(`removed ${model} (${provider})\n`);
      return EXIT.OK;
    } finally {
      await p.dispose();
    }
  } finally {
    await factory.dispose();
  }
}
