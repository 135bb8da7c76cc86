import type { ChainPlan, PluginRecord, ProviderFactory } from '@autoarr-llm/core';
import type { CliIO } from '../cli-io.js';
import { describeError } from '../describe-error.js';
import { EXIT } from '../exit-codes.js';
import { exitCodeFor } from '../exit-code-for.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';
import { providerStates, type ProviderState } from './provider-states.js';

export interface DoctorFlags extends GlobalFlags {
  json?: boolean | undefined;
  ask?: string | undefined;
  provider?: string | undefined;
}

const MARK: Record<PluginRecord['status'], string> = {
  discovered: 'ok',
  loaded: 'ok',
  failed: 'FAILED',
  'not-installed': 'NOT INSTALLED',
  duplicate: 'duplicate',
  ignored: 'ignored',
};

/**
 * The main job: where the config came from, which plugins were found (and what became of each),
 * each provider's state, the chain and why; with `--ask`, the answer through the chain or exactly
 * why no provider could give one.
 */
export async function doctor(io: CliIO, flags: DoctorFlags): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const plan = factory.plan(flags.provider);
    const names = [...new Set([...plan.order, ...factory.providerNames()])];
    const states = await providerStates(factory, names);
    if (!flags.json) io.out(formatReport(factory, plan, states));

    let answer: { provider: string; model: string; text: string } | undefined;
    let failure: unknown;
    if (flags.ask !== undefined) {
      try {
        const chain = await factory.createProvider(flags.provider);
        const stream = chain.streamComplete([{ role: 'user', content: flags.ask }]);
        if (!flags.json) io.out(`\nAnswer (${chain.name}):\n`);
        for await (const chunk of stream) if (!flags.json) io.out(chunk);
        const response = await stream.response;
        answer = { provider: response.provider, model: response.model, text: response.content };
        if (!flags.json) io.out(`\n(answered by ${response.provider}, model ${response.model})\n`);
      } catch (error) {
        failure = error;
        if (!flags.json) io.err(`\nNo answer. ${describeError(error).text}\n`);
      }
    }

    if (flags.json) {
      io.out(
        `${JSON.stringify(
          {
            configFile: factory.config.configFile ?? null,
            appRoot: factory.config.appRoot,
            plugins: factory.loadReport().map((r) => ({ package: r.package, version: r.version, provider: r.provider, tier: r.tier, source: r.source, status: r.status, reason: r.reason, warnings: r.warnings })),
            chain: { order: plan.order, reason: plan.reason, fallbackEnabled: plan.fallbackEnabled },
            providers: states,
            ...(answer ? { answer } : {}),
            ...(failure ? describeError(failure).json : {}),
          },
          null,
          2,
        )}\n`,
      );
    }
    if (failure) return exitCodeFor(failure);
    return EXIT.OK;
  } finally {
    await factory.dispose();
  }
}

function formatReport(factory: ProviderFactory, plan: ChainPlan, states: ProviderState[]): string {
  const report = factory.loadReport();
  const lines: string[] = [];
  lines.push(`Config:    ${factory.config.configFile ?? 'no config file (defaults and environment variables)'}`);
  lines.push(`App root:  ${factory.config.appRoot}`);
  lines.push('Plugins:');
  if (report.length === 0) lines.push('  (none found: install @autoarr-llm/provider-ollama or @autoarr-llm/provider-claude)');
  for (const r of report) {
    lines.push(`  [${MARK[r.status]}] ${r.package}${r.version ? `@${r.version}` : ''}${r.provider ? ` -> ${r.provider}` : ''}${r.tier === 'premium' ? ' (premium)' : ''}${r.reason ? `: ${r.reason}` : ''}`);
    for (const w of r.warnings) lines.push(`         warning: ${w}`);
  }
  lines.push(`Chain:     ${plan.order.join(' -> ')}  (${plan.reason})`);
  lines.push('Providers:');
  for (const s of states) {
    const model = s.model ? `, model ${s.model.id}${s.model.present ? '' : ' (not installed)'}${s.model.loaded ? ' (loaded)' : ''}` : '';
    const latency = s.latencyMs !== undefined ? ` [${s.latencyMs} ms]` : '';
    lines.push(`  ${s.provider}: ${s.status === 'not-created' ? 'unusable' : s.status}${model}${latency}${s.reason ? ` - ${s.reason}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
