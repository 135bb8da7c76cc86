import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';

/** Lists the models of one provider, or of every installed provider. */
export async function models(io: CliIO, flags: GlobalFlags & { json?: boolean | undefined }, provider?: string): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const names = provider ? [provider] : factory.providerNames();
    const all = [];
    for (const name of names) {
      const p = await factory.createSingle(name);
      try {
        all.push(...(await p.getModels()));
      } finally {
        await p.dispose();
      }
    }
    if (flags.json) io.out(`${JSON.stringify(all, null, 2)}\n`);
    else
      for (const m of all) {
        const caps = Object.entries(m.capabilities)
          .filter(([, v]) => v)
          .map(([k]) => k)
          .join(',');
        io.out(`${m.provider}\t${m.id}${m.contextLength ? `\tctx ${m.contextLength}` : ''}\t${caps}\n`);
      }
    return EXIT.OK;
  } finally {
    await factory.dispose();
  }
}
