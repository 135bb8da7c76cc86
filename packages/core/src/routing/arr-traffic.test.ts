import { describe, expect, it } from 'vitest';
import { costOf } from '../cost/cost-of.js';
import { PriceTable } from '../cost/price-table.js';
import { loadTraffic, requestOf, TRAFFIC_MODELS, TRAFFIC_TIERS } from './arr-traffic.test-helper.js';
import { Router } from './router.js';
import { RoutingConfigSchema } from './routing-config.js';

// Output assumed per answer in the cost simulation (the fixture holds requests, not answers).
const OUTPUT = { simple: 150, complex: 700 } as const;

describe('the default router on labelled *arr traffic', () => {
  const traffic = loadTraffic();
  const prices = new PriceTable();
  const router = new Router(RoutingConfigSchema.parse({ tiers: TRAFFIC_TIERS }), prices);
  router.setModels(TRAFFIC_MODELS);
  const caps = new Map(TRAFFIC_MODELS.map((m) => [`${m.provider}/${m.id}`, m]));
  const decided = traffic.map((e) => {
    const { messages, options } = requestOf(e);
    return { e, messages, d: router.decide(messages, options) };
  });

  it('holds at least 150 requests, simple and complex, with vision, tools, JSON and long-context ones', () => {
    expect(traffic.length).toBeGreaterThanOrEqual(150);
    expect(traffic.filter((e) => e.image).length).toBeGreaterThan(5);
    expect(traffic.filter((e) => e.tools).length).toBeGreaterThan(5);
    expect(traffic.filter((e) => e.json).length).toBeGreaterThan(5);
    expect(traffic.filter((e) => e.note?.includes('short-but-hard')).length).toBeGreaterThan(5);
    expect(traffic.filter((e) => e.note?.includes('long-but-trivial')).length).toBeGreaterThan(5);
    expect(decided.filter(({ d }) => d.features.tokens > 32_768).length).toBeGreaterThan(2);
  });

  const report = (name: string, set: typeof decided) => {
    const matrix = { simple: { simple: 0, complex: 0 }, complex: { simple: 0, complex: 0 } };
    for (const { e, d } of set) matrix[e.label][d.tier === 'complex' ? 'complex' : 'simple']++;
    const accuracy = (matrix.simple.simple + matrix.complex.complex) / set.length;
    const wrong = set.filter(({ e, d }) => e.label !== d.tier).map(({ e, d }) => `${e.id} (${e.label} → ${d.tier}, ${d.score.toFixed(2)}): ${e.prompt.slice(0, 70)}`);
    console.log(
      [
        `router on ${set.length} labelled requests (${name}): accuracy ${(accuracy * 100).toFixed(1)} %`,
        '                 routed simple  routed complex',
        `labelled simple  ${String(matrix.simple.simple).padStart(13)}  ${String(matrix.simple.complex).padStart(14)}`,
        `labelled complex ${String(matrix.complex.simple).padStart(13)}  ${String(matrix.complex.complex).padStart(14)}`,
        'misrouted:',
        ...wrong.map((w) => `  ${w}`),
      ].join('\n'),
    );
    return accuracy;
  };

  it('tiers at least 80 % of requests as labelled, on the tuning set and on the held-out one (confusion matrices in the output)', () => {
    const heldout = loadTraffic('arr-traffic-heldout.json').map((e) => {
      const { messages, options } = requestOf(e);
      return { e, messages, d: router.decide(messages, options) };
    });
    // The weights were set on the first set: its figure is an upper bound; the held-out one is the honest one.
    expect(report('arr-traffic.json, weights set on it', decided)).toBeGreaterThanOrEqual(0.9);
    expect(report('arr-traffic-heldout.json, never tuned on', heldout)).toBeGreaterThanOrEqual(0.8);
  });

  it('never routes a request where it cannot be served (zero capability violations)', () => {
    const violations: string[] = [];
    for (const { e, d } of decided) {
      for (const c of d.order) {
        const m = caps.get(c.id)!;
        // What the request needs, from the entry itself rather than from the router's features.
        if (e.image && !m.capabilities.vision) violations.push(`${e.id}: ${c.id} has no vision`);
        if (e.tools && !m.capabilities.tools) violations.push(`${e.id}: ${c.id} has no tools`);
        if (e.json && !m.capabilities.json) violations.push(`${e.id}: ${c.id} has no JSON output`);
        const chars = requestOf(e).messages.reduce((n, msg) => n + (typeof msg.content === 'string' ? msg.content.length : JSON.stringify(msg.content).length), 0);
        if (chars / 4 > (m.contextLength ?? Infinity)) violations.push(`${e.id}: ${c.id} context ${m.contextLength} < ${chars / 4}`);
      }
    }
    expect(violations).toEqual([]);
    // The capability filter did real work on this traffic.
    expect(decided.filter(({ d }) => d.candidates.some((c) => c.excluded)).length).toBeGreaterThan(5);
  });

  it('costs less than always using the big model (simulation in the output)', () => {
    const big = prices.priceFor('claude', 'claude-sonnet-5-5')!;
    let always = 0;
    let routed = 0;
    let toBig = 0;
    let underRouted = 0;
    for (const { e, d } of decided) {
      const tokens = { inputTokens: d.features.tokens, outputTokens: OUTPUT[e.label] };
      always += costOf(big, tokens);
      const chosen = d.order[0]!;
      routed += chosen.price ? costOf(chosen.price, tokens) : 0;
      if (chosen.id === 'claude/claude-sonnet-5-5') toBig++;
      if (e.label === 'complex' && d.tier !== 'complex') underRouted++;
    }
    const saved = 1 - routed / always;
    console.log(
      `cost simulation on ${decided.length} requests: always claude-sonnet-5-5 $${always.toFixed(4)}, routed $${routed.toFixed(4)}: ${(saved * 100).toFixed(1)} % saved; ` +
        `${((toBig / decided.length) * 100).toFixed(1)} % sent to the big model; ${underRouted} of ${decided.filter((x) => x.e.label === 'complex').length} complex requests routed to the small tier`,
    );
    expect(routed).toBeLessThan(always);
  });
});
