import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';
import { providerStates } from './provider-states.js';

/** Lists the providers that can be created, with their plugin and state. */
export async function providers(io: CliIO, flags: GlobalFlags & { json?: boolean | undefined }): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const names = factory.providerNames();
    const states = await providerStates(factory, names);
    const report = factory.loadReport();
    const rows = states.map((s) => {
      const record = report.find((r) => r.provider === s.provider && (r.status === 'discovered' || r.status === 'loaded'));
      return { ...s, package: record?.package, version: record?.version, tier: record?.tier };
    });
    if (flags.json) io.out(`${JSON.stringify(rows, null, 2)}\n`);
    else if (rows.length === 0) io.out('No provider plugins installed.\n');
    else for (const r of rows) io.out(`${r.provider}\t${r.status === 'not-created' ? 'unusable' : r.status}\t${r.package ?? ''}${r.version ? `@${r.version}` : ''}${r.reason ? `\t${r.reason}` : ''}\n`);
    return EXIT.OK;
  } finally {
    await factory.dispose();
  }
}
