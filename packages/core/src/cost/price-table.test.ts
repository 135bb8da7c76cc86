import { describe, expect, it } from 'vitest';
import { costOf } from './cost-of.js';
import { PriceTable } from './price-table.js';

describe('PriceTable', () => {
  it('prices Claude models by default, dated ids by their prefix, local providers at zero', () => {
    const t = new PriceTable();
    expect(t.priceFor('claude', 'claude-sonnet-5-5')).toMatchObject({ inputPerMillion: 3, outputPerMillion: 15, cacheReadPerMillion: 0.3, cacheWritePerMillion: 3.75 });
    expect(t.priceFor('claude', 'claude-haiku-4-5-20251001')).toMatchObject({ inputPerMillion: 1, outputPerMillion: 5 });
    expect(t.priceFor('claude', 'claude-opus-4-1-20250805')).toMatchObject({ inputPerMillion: 15 });
    expect(t.priceFor('ollama', 'qwen2.5:7b')).toMatchObject({ inputPerMillion: 0, outputPerMillion: 0 });
    expect(t.priceFor('someone', 'x')).toBeUndefined();
  });

  it('config wins over the defaults, exact id over prefix over provider', () => {
    const t = new PriceTable({ ollama: { inputPerMillion: 0.05, outputPerMillion: 0.05, currency: 'EUR' }, 'claude/claude-sonnet': { inputPerMillion: 2, outputPerMillion: 10, currency: 'USD' } });
    expect(t.priceFor('ollama', 'qwen2.5:7b')).toMatchObject({ inputPerMillion: 0.05, currency: 'EUR' });
    expect(t.priceFor('claude', 'claude-sonnet-5-5')).toMatchObject({ inputPerMillion: 2 });
    expect(t.priceFor('claude', 'claude-haiku-5-5')).toMatchObject({ inputPerMillion: 1 });
    expect(t.dearestModel('claude')).toBe('claude-sonnet');
  });

  it('costs cache reads and writes at their own rates', () => {
    const price = new PriceTable().priceFor('claude', 'claude-sonnet-5-5')!;
    expect(costOf(price, { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 })).toBeCloseTo(3 + 15 + 0.3 + 3.75, 9);
    expect(costOf({ inputPerMillion: 2, outputPerMillion: 4, currency: 'USD' }, { inputTokens: 500_000, outputTokens: 0, cacheReadTokens: 500_000 })).toBeCloseTo(2, 9);
  });
});
