import { CallOptionsSchema, Router, routingActive, type ModelInfo, type RouteDecision } from '@autoarr-llm/core';
import { CliError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { EXIT } from '../exit-codes.js';
import { openFactory, type GlobalFlags } from '../open-factory.js';

export interface RouteFlags extends GlobalFlags {
  system?: string | undefined;
  maxTokens?: number | undefined;
}

/**
 * Shows how the configured router would route a prompt — its features, score, tier, every
 * candidate with why it can or cannot serve, and the choice — without sending it anywhere. What
 * the models can do is read from the providers' model lists (as the router does).
 */
export async function route(io: CliIO, flags: RouteFlags, prompt: string): Promise<number> {
  const factory = await openFactory(io, flags);
  try {
    const routing = factory.config.values.routing;
    if (!routingActive(routing)) throw new CliError('ROUTING_NOT_CONFIGURED', 'routing is not configured: add "routing": { "tiers": { … } } to the config (docs/routing.md)', { exitCode: EXIT.CONFIG });
    const router = new Router(routing, factory.prices);
    const models: ModelInfo[] = [];
    const unlisted: string[] = [];
    for (const name of router.providers) {
      try {
        const p = await factory.createSingle(name);
        try {
          models.push(...(await p.getModels()));
        } finally {
          await p.dispose();
        }
      } catch (error) {
        unlisted.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    router.setModels(models);
    const messages = [...(flags.system ? [{ role: 'system' as const, content: flags.system }] : []), { role: 'user' as const, content: prompt }];
    const options = CallOptionsSchema.parse(flags.maxTokens ? { maxTokens: flags.maxTokens } : {});
    const decision = router.decide(messages, options);
    if (flags.json) io.out(`${JSON.stringify({ ...summarise(decision), unlisted }, null, 2)}\n`);
    else io.out(render(decision, unlisted));
    return EXIT.OK;
  } finally {
    await factory.dispose();
  }
}

function summarise(d: RouteDecision) {
  return {
    features: d.features,
    score: d.score,
    tier: d.tier,
    by: d.by,
    signals: d.signals,
    candidates: d.candidates.map((c) => ({ id: c.id, tier: c.tier, expectedCost: c.expectedCost, excluded: c.excluded })),
    order: d.order.map((c) => c.id),
    choice: d.order[0]?.id,
    reason: d.reason,
  };
}

function render(d: RouteDecision, unlisted: string[]): string {
  const f = d.features;
  const lines = [
    `features: ~${f.tokens} tokens, ${f.depth} turn(s)${f.code ? ', code' : ''}${f.tools ? `, ${f.tools} tool(s)` : ''}${f.json ? ', JSON output' : ''}${f.images ? `, ${f.images} image(s)` : ''}${f.reasoning.length ? `, reasoning: ${f.reasoning.join(', ')}` : ''}${f.problem ? ', a problem described' : ''}${f.trivial.length ? `, mechanical: ${f.trivial.join(', ')}` : ''}`,
    `score:    ${Number.isNaN(d.score) ? '(custom router)' : d.score.toFixed(2)}${d.signals.length ? ` (${d.signals.join('; ')})` : ''}`,
    `tier:     ${d.tier}`,
    'candidates:',
    ...d.candidates.map((c) => `  ${c.excluded ? '-' : '+'} ${c.id.padEnd(32)} ${c.tier.padEnd(8)} ${c.expectedCost === undefined ? 'unpriced' : `$${c.expectedCost.toFixed(6)}`}${c.excluded ? `  (${c.excluded})` : ''}`),
    `choice:   ${d.order[0]?.id} (then ${d.order.slice(1).map((c) => c.id).join(', ') || 'nothing'})`,
    ...unlisted.map((u) => `note: could not list models of ${u}`),
  ];
  return `${lines.join('\n')}\n`;
}
