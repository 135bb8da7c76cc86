import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CallOptionsSchema, PriceTable, Router, RoutingConfigSchema, type LLMMessage, type ModelInfo, type ResolvedCallOptions } from '@autoarr-llm/core';
import { chainFor, standInProcess } from './pipeline-bench.js';
import { median, quantile } from './stats.js';

interface Entry {
  prompt: string;
  tools?: ResolvedCallOptions['tools'];
  json?: boolean;
  image?: boolean;
  attach?: { lines: number };
  history?: Array<['user' | 'assistant', string]>;
}

const FIXTURE = fileURLToPath(new URL('../../core/src/routing/__fixtures__/arr-traffic.json', import.meta.url));
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const MODELS: ModelInfo[] = [
  { id: 'qwen2.5:7b', provider: 'ollama', contextLength: 32_768, capabilities: { streaming: true, tools: true, vision: false, json: true } },
  ...['claude-haiku-5-5', 'claude-sonnet-5-5'].map((id) => ({ id, provider: 'claude', contextLength: 1_000_000, capabilities: { streaming: true, tools: true, vision: true, json: true } })),
];
const us = (ms: number) => `${(ms * 1000).toFixed(2)} µs`;

/** The fixture's requests as callers would send them (pasted logs as that many log lines). */
function requests(): Array<{ messages: LLMMessage[]; options: ResolvedCallOptions }> {
  const { requests: entries } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { requests: Entry[] };
  return entries.map((e) => {
    const messages: LLMMessage[] = (e.history ?? []).map(([role, content]) => ({ role, content }));
    const paste = e.attach ? `${Array.from({ length: e.attach.lines }, (_, i) => `2026-11-02 10:00:${i % 60}.${i}|Info|DownloadedEpisodesImportService|Import of Show.S01E0${i % 9}.1080p.WEB-DL-GRP`).join('\n')}\n\n` : '';
    const text = paste + e.prompt;
    messages.push(e.image ? { role: 'user', content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/png', data: PNG } }, { type: 'text', text }] } : { role: 'user', content: text });
    return { messages, options: CallOptionsSchema.parse({ ...(e.tools ? { tools: e.tools } : {}), ...(e.json ? { responseFormat: { type: 'json' } } : {}) }) };
  });
}

/**
 * Routing's cost: 1. the default router's decision per request, over the labelled *arr traffic;
 * 2. the whole stack (factory, pipeline, Claude provider, stand-in server in its own process) with
 * routing and budgets on against the same stack with them off, interleaved in turns.
 */
export async function routingBench(): Promise<string[]> {
  const out: string[] = ['routing and budgets:'];
  const router = new Router(RoutingConfigSchema.parse({ tiers: { simple: ['ollama/qwen2.5:7b', 'claude/claude-haiku-5-5'], complex: ['claude/claude-sonnet-5-5'] } }), new PriceTable());
  router.setModels(MODELS);
  const reqs = requests();
  // 1. Each request decided in batches of 200 (a single decision is below the timer's resolution); per-request means.
  for (let i = 0; i < 20; i++) for (const r of reqs) router.decide(r.messages, r.options);
  const per: number[] = [];
  const short: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const r of reqs) {
      const t = performance.now();
      for (let k = 0; k < 200; k++) router.decide(r.messages, r.options);
      const each = (performance.now() - t) / 200;
      per.push(each);
      if (JSON.stringify(r.messages).length < 2_000) short.push(each);
    }
  }
  out.push(`  router decision over ${reqs.length} labelled requests: median ${us(median(per))} (target <= 10 µs), p99 ${us(quantile(per, 0.99))}; prompts under 2 kB: median ${us(median(short))}`);

  // 2. Routing and budgets on vs off, whole stack.
  const server = await standInProcess();
  const off = await chainFor(server.url);
  const on = await chainFor(server.url, {
    // The request is simple and routed to the model the plain chain uses: only the layers differ.
    routing: { tiers: { simple: ['claude/claude-sonnet-5-5'], complex: ['claude/claude-opus-5-5'] } },
    budgets: { limits: [{ provider: 'claude', period: 'day', limit: 1_000_000 }, { model: 'claude-sonnet', period: 'month', window: 'rolling', limit: 1_000_000 }] },
  });
  try {
    const msgs = (i: number) => [{ role: 'user' as const, content: `What is Sonarr's default port? (request ${i})` }];
    for (let i = 0; i < 300; i++) {
      await off.provider.complete(msgs(i), { maxTokens: 64 });
      await on.provider.complete(msgs(i), { maxTokens: 64 });
    }
    const time = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const ratios: number[] = [];
    const offT: number[] = [];
    const onT: number[] = [];
    for (let round = 0; round < 20; round++) {
      const a: number[] = [];
      const b: number[] = [];
      for (let turn = 0; turn < 30; turn++) {
        const order: Array<[number[], () => Promise<unknown>]> = [
          [a, () => off.provider.complete(msgs(turn), { maxTokens: 64 })],
          [b, () => on.provider.complete(msgs(turn), { maxTokens: 64 })],
        ];
        if (turn % 2 === 1) order.reverse();
        for (const [into, call] of order) for (let i = 0; i < 10; i++) into.push(await time(call));
      }
      offT.push(...a);
      onT.push(...b);
      // Speed of "on" relative to "off": 1.0 is the same, below 1 slower.
      ratios.push(median(a) / median(b));
    }
    // Which layer costs what: routing alone and budgets alone against off (10 rounds each).
    const split: string[] = [];
    for (const [name, overrides] of [
      ['routing alone', { routing: { tiers: { simple: ['claude/claude-sonnet-5-5'], complex: ['claude/claude-opus-5-5'] } } }],
      ['budgets alone', { budgets: { limits: [{ provider: 'claude', period: 'day', limit: 1_000_000 }, { model: 'claude-sonnet', period: 'month', window: 'rolling', limit: 1_000_000 }] } }],
    ] as const) {
      const layer = await chainFor(server.url, overrides as never);
      for (let i = 0; i < 300; i++) await layer.provider.complete(msgs(i), { maxTokens: 64 });
      const rs: number[] = [];
      for (let round = 0; round < 10; round++) {
        const a: number[] = [];
        const b: number[] = [];
        for (let turn = 0; turn < 30; turn++) {
          const order: Array<[number[], () => Promise<unknown>]> = [
            [a, () => off.provider.complete(msgs(turn), { maxTokens: 64 })],
            [b, () => layer.provider.complete(msgs(turn), { maxTokens: 64 })],
          ];
          if (turn % 2 === 1) order.reverse();
          for (const [into, call] of order) for (let i = 0; i < 10; i++) into.push(await time(call));
        }
        rs.push(median(a) / median(b));
      }
      split.push(`${name} ${median(rs).toFixed(3)}x`);
      await layer.provider.dispose();
      await layer.factory.dispose();
      rmSync(layer.dir, { recursive: true, force: true });
    }
    out.push(`    by layer, vs off: ${split.join(', ')}`);
    const check = await on.provider.complete(msgs(0), { maxTokens: 64 });
    out.push(
      `  whole stack per request (n=${offT.length} each): off ${us(median(offT))}, routing + budgets on ${us(median(onT))}; on vs off ${median(ratios).toFixed(3)}x median of 20 rounds (target >= 0.98x), added ${us(median(onT) - median(offT))}`,
      `    (the routed calls went to ${check.route?.chosen}, ${check.cost?.source} cost $${check.cost?.amount.toFixed(6)})`,
    );
  } finally {
    for (const c of [off, on]) {
      await c.provider.dispose();
      await c.factory.dispose();
      rmSync(c.dir, { recursive: true, force: true });
    }
    server.stop();
  }
  return out;
}
