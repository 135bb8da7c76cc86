import { ConfigValidationError } from '@autoarr-llm/core';
import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';
import { providerStates, stateForJson, stateLabel } from './provider-states.js';

/**
 * Lists the installed providers with their plugin and state. An inventory: a provider being down
 * is reported, not a failure (exit 0); invalid settings are a configuration error (exit 3).
 */
export async function providers(io: CliIO, flags: GlobalFlags): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const states = await providerStates(factory, factory.providerNames());
    const report = factory.loadReport();
    const rows = states.map((s) => {
      const record = report.find((r) => r.provider === s.provider && (r.status === 'discovered' || r.status === 'loaded'));
      return { ...stateForJson(s), label: stateLabel(s), package: record?.package, version: record?.version, tier: record?.tier };
    });
    if (flags.json) io.out(`${JSON.stringify(rows.map(({ label: _label, ...row }) => row), null, 2)}\n`);
    else if (rows.length === 0) io.out('No provider plugins installed (install @autoarr-llm/provider-ollama or @autoarr-llm/provider-claude).\n');
    else
      for (const r of rows) {
        io.out(`${r.provider}\t${r.label}\t${r.package ?? ''}${r.version ? `@${r.version}` : ''}${r.reason ? `\t${r.reason.replace(/\n\s*/g, ' ')}` : ''}\n`);
      }
    return states.some((s) => ConfigValidationError.isInstance(s.error)) ? EXIT.CONFIG : EXIT.OK;
  } finally {
    await factory.dispose();
  }
}
