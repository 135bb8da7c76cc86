import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';

/** Shows every configured budget: its scope, window, limit, spend and what is left. */
export async function budget(io: CliIO, flags: GlobalFlags): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const guard = factory.budgets;
    const status = guard ? await guard.status() : [];
    if (flags.json) {
      io.out(`${JSON.stringify({ budgets: status, store: guard?.store.constructor.name }, null, 2)}\n`);
      return EXIT.OK;
    }
    if (!guard) {
      io.out('No budgets configured (add "budgets": { "limits": [ … ] } to the config; docs/routing.md).\n');
      return EXIT.OK;
    }
    for (const b of status) {
      const scope = Object.entries(b.scope).map(([k, v]) => `${k} ${v}`).join(', ') || 'all calls';
      const used = b.limit > 0 ? ((b.spent + b.reserved) / b.limit) * 100 : 0;
      io.out(`${b.name}\n  ${scope}; ${b.window} ${b.period} since ${b.since}${b.resets ? `, resets ${b.resets}` : ''}\n  spent ${money(b.spent)} + reserved ${money(b.reserved)} of ${money(b.limit)} ${b.currency} (${used.toFixed(1)} %), ${money(b.remaining)} left\n`);
    }
    // Spend is what this process's store holds: the in-memory store starts empty.
    io.out(`store: ${guard.store.constructor.name}${guard.store.constructor.name === 'MemorySpendStore' ? ' (this process only: spend of earlier runs is not shown)' : ''}\n`);
    return EXIT.OK;
  } finally {
    await factory.dispose();
  }
}

function money(n: number): string {
  return n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 6 : 2);
}
