import type { LLMProvider } from '@autoarr-llm/core';
import { canPullModels, type ModelPuller } from '../can-pull-models.js';
import { cancelOnInterrupt } from '../cancel-on-interrupt.js';
import { CliError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { createProgressReporter } from '../create-progress-reporter.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';
import { requireInstalled } from '../require-installed.js';

/**
 * Downloads a model through a provider that can (one with `pullModel`, such as Ollama), with
 * progress on stderr. Without `--provider`, the first installed provider of the chain that can
 * pull is used. Ctrl-C cancels the download.
 */
export async function pull(io: CliIO, flags: GlobalFlags & { provider?: string | undefined }, model: string): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const { name, provider } = await pickPuller(factory, flags.provider);
    if (!flags.json) io.err(`pulling ${model} with ${name}\n`);
    const progress = createProgressReporter(io);
    try {
      await cancelOnInterrupt(io, (signal) => provider.pullModel(model, { signal, onProgress: (p) => progress.update(p) }));
    } finally {
      progress.finish();
    }
    if (flags.json) io.out(`${JSON.stringify({ provider: name, model, status: 'success' }, null, 2)}\n`);
    else io.out(`pulled ${model} (${name})\n`);
    return EXIT.OK;
  } finally {
    await factory.dispose();
  }
}

async function pickPuller(factory: Awaited<ReturnType<typeof openFactory>>, asked: string | undefined): Promise<{ name: string; provider: LLMProvider & ModelPuller }> {
  if (asked) await requireInstalled(factory, asked);
  const installed = factory.providerNames();
  const candidates = asked ? [asked] : [...new Set([...factory.plan().order, ...installed])].filter((n) => installed.includes(n));
  const refused: string[] = [];
  for (const name of candidates) {
    // Created without an availability check: an unreachable daemon is reported by the pull itself.
    const provider = await factory.createSingle(name);
    if (canPullModels(provider)) return { name, provider };
    refused.push(name);
  }
  if (asked) throw new CliError('UNSUPPORTED_FEATURE', `provider "${asked}" cannot pull models`);
  throw new CliError('UNSUPPORTED_FEATURE', refused.length > 0 ? `no installed provider can pull models (${refused.join(', ')} cannot); install @autoarr-llm/provider-ollama` : 'no provider plugins are installed; install @autoarr-llm/provider-ollama');
}
