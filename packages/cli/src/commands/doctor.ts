import { ConfigValidationError, NoProviderAvailableError, type ChainPlan, type PluginRecord, type ProviderFactory } from '@autoarr-llm/core';
import { cancelOnInterrupt } from '../cancel-on-interrupt.js';
import type { CliIO } from '../cli-io.js';
import { describeError } from '../describe-error.js';
import { EXIT } from '../exit-codes.js';
import { exitCodeFor } from '../exit-code-for.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';
import { isUsable, providerStates, stateForJson, stateLabel, type ProviderState } from './provider-states.js';

export interface DoctorFlags extends GlobalFlags {
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
 * each provider's state, the chain, which provider would serve and why; with `--ask`, the answer
 * through the chain or exactly why no provider could give one. Exits 3 when a provider's settings
 * are invalid, 4 when no provider of the chain is usable, so scripts can gate on it.
 */
export async function doctor(io: CliIO, flags: DoctorFlags): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    // The same plan createProvider() uses, premium licenses checked (an unlicensed install is the free build).
    const plan = await factory.resolvePlan(flags.provider);
    const names = [...new Set([...plan.order, ...factory.providerNames()])];
    const states = await providerStates(factory, names);
    const selected = plan.order.find((name) => states.some((s) => s.provider === name && isUsable(s)));
    const problem = problemOf(plan, states, selected);
    if (!flags.json) {
      io.out(formatReport(factory, plan, states, selected));
      // With --ask, the attempt below says the same thing once more in full; say it once.
      if (problem && (flags.ask === undefined || ConfigValidationError.isInstance(problem))) io.err(`\n${describeError(problem).text}\n`);
    }

    let answer: { provider: string; model: string; text: string } | undefined;
    let failure: unknown;
    if (flags.ask !== undefined && !ConfigValidationError.isInstance(problem)) {
      try {
        const chain = await factory.createProvider(flags.provider);
        // Who answers is known only once the chain has answered (the first provider may fail over): the closing line names it.
        if (!flags.json) io.out('\nAnswer:\n');
        const response = await cancelOnInterrupt(io, async (signal) => {
          const stream = chain.streamComplete([{ role: 'user', content: flags.ask ?? '' }], { signal });
          for await (const chunk of stream) if (!flags.json) io.out(chunk);
          return stream.response;
        });
        answer = { provider: response.provider, model: response.model, text: response.content };
        if (!flags.json) io.out(`\n(answered by ${response.provider}, model ${response.model})\n`);
      } catch (error) {
        failure = error;
        if (!flags.json) io.err(`\nNo answer. ${describeError(error).text}\n`);
      }
    }

    if (flags.json) {
      const report = {
        configFile: factory.config.configFile ?? null,
        appRoot: factory.config.appRoot,
        plugins: factory.loadReport().map((r) => ({ package: r.package, version: r.version, provider: r.provider, tier: r.tier, source: r.source, status: r.status, reason: r.reason, warnings: r.warnings })),
        chain: { order: plan.order, reason: plan.reason, fallbackEnabled: plan.fallbackEnabled, selected: selected ?? null },
        providers: states.map(stateForJson),
        ...(answer ? { answer } : {}),
        ...(failure ?? problem ? describeError(failure ?? problem).json : {}),
      };
      io.out(`${JSON.stringify(report, null, 2)}\n`);
    }
    // A broken configuration outranks everything: it is what the user must fix first.
    if (problem && ConfigValidationError.isInstance(problem)) return EXIT.CONFIG;
    if (failure) return exitCodeFor(failure);
    // Nothing usable is 4 whatever the health checks' codes (a slow daemon's TIMEOUT included).
    if (problem) return EXIT.NO_PROVIDER;
    return EXIT.OK;
  } finally {
    await factory.dispose();
  }
}

/** What makes the setup unusable, as the error the factory itself would throw. */
function problemOf(plan: ChainPlan, states: ProviderState[], selected: string | undefined): ConfigValidationError | NoProviderAvailableError | undefined {
  const invalid = states.flatMap((s) => (ConfigValidationError.isInstance(s.error) ? [{ provider: s.provider, error: s.error }] : []));
  if (invalid.length === 1) return invalid[0]?.error;
  if (invalid.length > 1) {
    // One error listing every bad key, as core does for its own settings.
    return new ConfigValidationError(
      invalid.flatMap((i) => i.error.issues),
      { subject: `settings of providers ${invalid.map((i) => `"${i.provider}"`).join(' and ')}` },
    );
  }
  if (selected) return undefined;
  return new NoProviderAvailableError(
    plan.order.map((name) => {
      const s = states.find((x) => x.provider === name);
      return { provider: name, reason: s?.reason ?? 'not available', code: s?.code };
    }),
  );
}

function formatReport(factory: ProviderFactory, plan: ChainPlan, states: ProviderState[], selected: string | undefined): string {
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
  lines.push('Providers:');
  for (const s of states) {
    const model = s.model ? `, model ${s.model.id}${s.model.present ? '' : ' (not installed)'}${s.model.loaded ? ' (loaded)' : ''}` : '';
    const latency = s.latencyMs !== undefined ? ` [${s.latencyMs} ms]` : '';
    const cold = stateLabel(s) === 'cold' ? ' - not in memory yet (loading, or loaded by the first call, which waits for it)' : '';
    lines.push(`  ${s.provider}: ${stateLabel(s)}${model}${latency}${cold}${s.reason ? ` - ${indent(s.reason)}` : ''}`);
  }
  lines.push(`Chain:     ${plan.order.join(' -> ')}  (${plan.reason})`);
  const skipped = selected ? plan.order.slice(0, plan.order.indexOf(selected)) : [];
  lines.push(
    selected
      ? `Would use: ${selected}${skipped.length > 0 ? ` (${skipped.join(', ')} not usable, see above)` : ' (first in the chain, and usable)'}${states.find((s) => s.provider === selected)?.cold ? '; its model is cold: the first call waits for it to load' : ''}${plan.fallbackEnabled ? '' : '; fallback disabled'}`
      : 'Would use: none - no provider of the chain is usable (reasons above)',
  );
  return `${lines.join('\n')}\n`;
}

/** Multi-line reasons (a config error lists its problems) stay under their provider. */
function indent(text: string): string {
  return text.replace(/\n/g, '\n    ');
}
