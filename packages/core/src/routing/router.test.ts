import { describe, expect, it } from 'vitest';
import type { ModelInfo } from '../contract/model-info.js';
import { PriceTable } from '../cost/price-table.js';
import { NoCapableModelError } from '../errors/no-capable-model-error.js';
import { Router } from './router.js';
import { RoutingConfigSchema, type RoutingConfigInput } from './routing-config.js';

const caps = (vision: boolean, tools: boolean, json: boolean) => ({ streaming: true, vision, tools, json });
const MODELS: ModelInfo[] = [
  { id: 'small', provider: 'local', contextLength: 1_000, capabilities: caps(false, true, true) },
  { id: 'mid', provider: 'cloud', contextLength: 100_000, capabilities: caps(true, true, true) },
  { id: 'big', provider: 'cloud', contextLength: 100_000, capabilities: caps(true, true, true) },
];
const PRICES = new PriceTable({ local: { inputPerMillion: 0, outputPerMillion: 0, currency: 'USD' }, 'cloud/mid': { inputPerMillion: 1, outputPerMillion: 5, currency: 'USD' }, 'cloud/big': { inputPerMillion: 3, outputPerMillion: 15, currency: 'USD' } }, {});

function router(config: RoutingConfigInput, models = MODELS): Router {
  const r = new Router(RoutingConfigSchema.parse(config), PRICES);
  r.setModels(models);
  return r;
}
const ask = (content: string) => [{ role: 'user' as const, content }];

describe('Router', () => {
  it('tries the cheapest capable candidate of the tier first, then the tiers above', () => {
    const r = router({ tiers: { simple: ['cloud/mid', 'local/small'], complex: ['cloud/big'] } });
    const d = r.decide(ask('What port does Sonarr use?'), { temperature: 0.7 });
    expect(d.tier).toBe('simple');
    expect(d.order.map((c) => c.id)).toEqual(['local/small', 'cloud/mid', 'cloud/big']);
    const kept = router({ tiers: { simple: ['cloud/mid', 'local/small'] }, costAware: false }).decide(ask('hi'), { temperature: 0.7 });
    expect(kept.order.map((c) => c.id)).toEqual(['cloud/mid', 'local/small']);
  });

  it('a tier without candidates goes to the next one above; medium only when configured', () => {
    const r = router({ tiers: { complex: ['cloud/big'] } });
    expect(r.decide(ask('hi'), { temperature: 0.7 }).tier).toBe('complex');
    const three = router({ tiers: { simple: ['local/small'], medium: ['cloud/mid'], complex: ['cloud/big'] }, thresholds: { medium: 0.1, complex: 0.9 } });
    expect(three.decide(ask('Why is this slow?'), { temperature: 0.7 }).tier).toBe('medium');
  });

  it('configured patterns move the score, and say so', () => {
    const r = router({ tiers: { simple: ['local/small'], complex: ['cloud/big'] }, patterns: [{ pattern: 'custom format', weight: 0.5 }] });
    const d = r.decide(ask('Set up a custom format for x265'), { temperature: 0.7 });
    expect(d.tier).toBe('complex');
    expect(d.signals).toContain('/custom format/ +0.50');
  });

  it('passes over what cannot serve and names the missing capability when nothing can', () => {
    const r = router({ tiers: { simple: ['local/small'] } });
    const tools = [{ name: 't', description: 'd', inputSchema: { type: 'object' as const } }];
    expect(r.decide(ask('x'), { temperature: 0.7, tools }).order[0]!.id).toBe('local/small');
    const long = ask('x'.repeat(8_000));
    const error = (() => {
      try {
        r.decide(long, { temperature: 0.7 });
      } catch (e) {
        return e;
      }
    })();
    expect(NoCapableModelError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ missing: ['context'], neededContext: 2_004 });
    // Unlisted capabilities count as absent; config can declare them.
    const unlisted = router({ tiers: { simple: ['local/other'] } });
    expect(() => unlisted.decide(ask('x'), { temperature: 0.7, responseFormat: { type: 'json' } })).toThrow(/needs json/);
    const declared = router({ tiers: { simple: ['local/other'] }, models: { 'local/other': { json: true } } });
    expect(declared.decide(ask('x'), { temperature: 0.7, responseFormat: { type: 'json' } }).order[0]!.id).toBe('local/other');
  });

  it('a custom router picks the tier; the capability filter still applies', () => {
    const r = new Router(RoutingConfigSchema.parse({ tiers: { simple: ['local/small'], complex: ['cloud/big'] } }), PRICES, () => ({ tier: 'simple', reason: 'always simple' }));
    r.setModels(MODELS);
    const image = [{ role: 'user' as const, content: [{ type: 'image' as const, source: { type: 'url' as const, url: 'https://example.com/a.png' } }] }];
    const d = r.decide(image, { temperature: 0.7 });
    expect(d).toMatchObject({ by: 'custom', tier: 'simple', signals: ['always simple'] });
    expect(d.order.map((c) => c.id)).toEqual(['cloud/big']);
    expect(d.candidates[0]).toMatchObject({ id: 'local/small', excluded: 'no vision' });
  });

  it('rejects a candidate that is not provider/model, and unknown keys', () => {
    expect(RoutingConfigSchema.safeParse({ tiers: { simple: ['qwen'] } }).success).toBe(false);
    expect(RoutingConfigSchema.safeParse({ tiers: {}, typo: 1 }).success).toBe(false);
  });
});
