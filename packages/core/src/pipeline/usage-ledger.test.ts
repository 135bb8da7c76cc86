import { describe, expect, it } from 'vitest';
import { UsageLedger, type LedgerEntry } from './usage-ledger.js';

const call = (i: number, over: Partial<Parameters<UsageLedger['record']>[0]> = {}) => ({
  provider: i % 2 === 0 ? 'claude' : 'ollama',
  model: i % 3 === 0 ? 'big' : 'small',
  inputTokens: i,
  outputTokens: 2 * i,
  usageSource: 'reported' as const,
  streamed: i % 5 === 0,
  cached: false,
  ...over,
});

describe('UsageLedger', () => {
  it('keeps the last `ledgerEntries` records, oldest first, exactly as `record` returned them', () => {
    const ledger = new UsageLedger({ 'claude/big': { inputPerMillion: 3, outputPerMillion: 15, currency: 'USD' }, ollama: { inputPerMillion: 0.1, outputPerMillion: 0.1, currency: 'EUR' } }, 150);
    const returned: LedgerEntry[] = [];
    // 400 records: the columns grow past their first size, then the ring wraps twice.
    for (let i = 0; i < 400; i++) returned.push(ledger.record(call(i, { usageSource: i % 7 === 0 ? 'estimated' : 'reported', cached: i % 11 === 0 })));
    const kept = ledger.entries();
    expect(kept).toHaveLength(150);
    expect(kept).toEqual(returned.slice(250));
    expect(kept[0]).toMatchObject({ inputTokens: 250, outputTokens: 500 });
  });

  it('before the ring is full, every record is kept in order', () => {
    const ledger = new UsageLedger({}, 1_000);
    const returned = Array.from({ length: 70 }, (_, i) => ledger.record(call(i)));
    expect(ledger.entries()).toEqual(returned);
  });

  it('prices a call from provider/model, else provider; cached answers cost nothing; unpriced cost is undefined', () => {
    const ledger = new UsageLedger({ 'claude/big': { inputPerMillion: 3, outputPerMillion: 15, currency: 'USD' } }, 10);
    const priced = ledger.record(call(0, { inputTokens: 1_000_000, outputTokens: 1_000_000 }));
    expect(priced).toMatchObject({ cost: 18, currency: 'USD' });
    expect(ledger.record(call(0, { cached: true }))).toMatchObject({ cost: 0, cached: true });
    expect(ledger.record(call(1))).toMatchObject({ cost: undefined, currency: undefined });
    expect(ledger.entries().map((e) => e.cost)).toEqual([18, 0, undefined]);
    expect(ledger.totals().get('claude/big')).toMatchObject({ requests: 2, inputTokens: 1_000_000, outputTokens: 1_000_000, cost: 18 });
    expect(ledger.totalCost()).toBe(18);
  });

  it('counts estimated tokens separately, and with ledgerEntries 1 keeps only the latest record', () => {
    const ledger = new UsageLedger({}, 1);
    ledger.record(call(2));
    const last = ledger.record(call(4, { usageSource: 'estimated', streamed: true }));
    expect(ledger.entries()).toEqual([last]);
    expect(last).toMatchObject({ usageSource: 'estimated', streamed: true });
    expect(ledger.totals().get('claude/small')).toMatchObject({ requests: 2, inputTokens: 6, outputTokens: 12, estimatedTokens: 12 });
  });
});
