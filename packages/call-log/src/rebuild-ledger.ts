import type { UsageLedger } from '@autoarr-llm/core';
import type { CallFilter } from './query/call-filter.js';
import type { CallLogReader } from './query/call-log-reader.js';

/**
 * Replays the usage of logged calls into a ledger, e.g. after a restart: its totals (tokens and
 * cost per provider and model) then cover the calls of earlier runs. Returns how many calls.
 */
export function rebuildLedger(reader: CallLogReader, ledger: UsageLedger, filter: CallFilter = {}): number {
  let n = 0;
  for (const u of reader.usage(filter)) {
    ledger.record(u);
    n++;
  }
  return n;
}
