import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BudgetExceededError, loadConfig, NoCapableModelError, ProviderFactory, type AutoarrLlmConfigInput, type CallEvent, type PipelineProvider } from '@autoarr-llm/core';
import { claudePlugin } from '@autoarr-llm/provider-claude';
import { ollamaPlugin } from '@autoarr-llm/provider-ollama';
import { startAnthropicStandIn, startOllamaStandIn, type AnthropicStandIn, type OllamaStandIn } from '@autoarr-llm/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// Routing, cost and budgets through the real Claude and Ollama providers, against stand-in servers
// speaking their wire formats: what the models can do comes from their real model listings.
const KEY = 'sk-ant-api03-routing-test-0123456789';
const TIERS = { simple: ['ollama/qwen2.5:7b', 'claude/claude-haiku-5-5'], complex: ['claude/claude-sonnet-5-5'] };
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const simple = [{ role: 'user' as const, content: "What is Sonarr's default port?" }];
const complex = [{ role: 'user' as const, content: 'Why does Sonarr keep grabbing 720p releases when my cutoff is 1080p?' }];

let anthropic: AnthropicStandIn;
let ollama: OllamaStandIn;
interface Rig {
  factory: ProviderFactory;
  provider: PipelineProvider;
  events: CallEvent[];
  close(): Promise<void>;
}
const open: Rig[] = [];

async function rig(config: AutoarrLlmConfigInput, env: Record<string, string> = {}, factoryOptions: Partial<ConstructorParameters<typeof ProviderFactory>[0]> = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-routing-'));
  const factory = new ProviderFactory({
    config: await loadConfig({
      cwd: dir,
      env,
      configFile: false,
      overrides: {
        fallback: { order: ['ollama', 'claude'] },
        providers: { claude: { apiKey: KEY, baseUrl: anthropic.url, apiVersion: '2023-06-01' }, ollama: { baseUrl: ollama.url, autoDownload: false, model: 'qwen2.5:7b' } },
        pipeline: { retry: { baseDelayMs: 5, maxDelayMs: 20 } },
        ...config,
      },
    }),
    ...factoryOptions,
  });
  factory.registerProvider('claude', claudePlugin);
  factory.registerProvider('ollama', ollamaPlugin);
  const provider = await factory.createProvider();
  const events: CallEvent[] = [];
  provider.onCall((e) => events.push(e));
  const r = {
    factory,
    provider,
    events,
    async close() {
      await provider.dispose();
      await factory.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  open.push(r);
  return r;
}

beforeAll(async () => {
  anthropic = await startAnthropicStandIn();
  ollama = await startOllamaStandIn({ loaded: ['qwen2.5:7b'] });
});
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});
afterAll(async () => {
  await anthropic.close();
  await ollama.close();
});

describe('routing by complexity and capability', () => {
  it('without a routing config the chain is as before: no route, the primary with its own model', async () => {
    const r = await rig({});
    const answer = await r.provider.complete(complex);
    expect(answer.provider).toBe('ollama');
    expect(answer.route).toBeUndefined();
    expect(r.events[0]!.route).toBeUndefined();
    expect(r.factory.budgets).toBeUndefined();
  });

  it('sends a simple request to the local model and a hard one to the big model, with the reason on the response and the event', async () => {
    const r = await rig({ routing: { tiers: TIERS } });
    const easy = await r.provider.complete(simple);
    expect(easy).toMatchObject({ provider: 'ollama', route: { tier: 'simple', chosen: 'ollama/qwen2.5:7b' }, cost: { amount: 0, source: 'reported' } });
    const hard = await r.provider.complete(complex);
    expect(hard).toMatchObject({ provider: 'claude', route: { tier: 'complex', chosen: 'claude/claude-sonnet-5-5' } });
    expect(hard.route!.reason).toMatch(/score 0\.\d+ → complex \(reasoning \(why/);
    expect(anthropic.lastRequest()!.model).toBe('claude-sonnet-5-5');
    // Reported usage at Sonnet's default price: 10 input and 1 output token from the stand-in.
    expect(hard.cost).toEqual({ amount: (10 * 3 + 1 * 15) / 1e6, currency: 'USD', source: 'reported' });
    expect(r.events.map((e) => e.route?.chosen)).toEqual(['ollama/qwen2.5:7b', 'claude/claude-sonnet-5-5']);
  });

  it('never sends an image to a model without vision: the simple tier moves on to Haiku, and says why', async () => {
    const r = await rig({ routing: { tiers: TIERS } });
    const before = ollama.requests.length;
    const answer = await r.provider.complete([{ role: 'user', content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/png', data: PNG } }, { type: 'text', text: 'Which tab of Sonarr is this screenshot from?' }] }]);
    expect(answer.route).toMatchObject({ tier: 'simple', chosen: 'claude/claude-haiku-5-5', skipped: [{ candidate: 'ollama/qwen2.5:7b', reason: 'no vision' }] });
    expect(ollama.requests.slice(before).filter((q) => q.path === '/api/chat')).toHaveLength(0);
  });

  it('a prompt beyond the local context window goes to a model whose window holds it', async () => {
    const r = await rig({ routing: { tiers: TIERS } });
    const log = Array.from({ length: 3_000 }, (_, i) => `2026-11-02 10:00:${i % 60}|Info|Import|Severance.S01E0${i % 9}.1080p-FLUX imported`).join('\n');
    const answer = await r.provider.complete([{ role: 'user', content: `${log}\n\nList the episode names in this log.` }]);
    expect(answer.route).toMatchObject({ tier: 'simple', chosen: 'claude/claude-haiku-5-5' });
    expect(answer.route!.skipped[0]!.reason).toMatch(/^context 32768 < \d+ tokens$/);
  });

  it('when no candidate can serve, a typed error names the missing capability and nothing is sent', async () => {
    const r = await rig({ routing: { tiers: { simple: ['ollama/qwen2.5:7b'] } } });
    const before = ollama.requests.length;
    const error = await r.provider.complete([{ role: 'user', content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/png', data: PNG } }, { type: 'text', text: 'What is this?' }] }]).catch((e: unknown) => e);
    expect(NoCapableModelError.isInstance(error)).toBe(true);
    expect((error as NoCapableModelError).missing).toEqual(['vision']);
    expect((error as NoCapableModelError).code).toBe('NO_CAPABLE_MODEL');
    expect(ollama.requests.slice(before).filter((q) => q.path === '/api/chat')).toHaveLength(0);
    expect(r.events[0]).toMatchObject({ outcome: 'error', errorCode: 'NO_CAPABLE_MODEL' });
  });

  it('an explicit LLM_PROVIDER wins over routing, as does a model named in the call', async () => {
    const r = await rig({ routing: { tiers: TIERS } }, { LLM_PROVIDER: 'claude' });
    const answer = await r.provider.complete(simple);
    expect(answer.provider).toBe('claude');
    expect(answer.route).toBeUndefined();
    const routed = await rig({ routing: { tiers: TIERS } });
    const named = await routed.provider.complete(complex, { model: 'qwen2.5:7b' });
    expect(named).toMatchObject({ provider: 'ollama', model: 'qwen2.5:7b' });
    expect(named.route).toBeUndefined();
  });

  it('a custom router replaces the scorer but not the capability filter', async () => {
    const r = await rig({ routing: { tiers: TIERS } }, {}, { router: ({ features }) => ({ tier: features.tokens > 10 ? 'complex' : 'simple', reason: 'by length' }) });
    expect((await r.provider.complete(complex)).route).toMatchObject({ tier: 'complex', chosen: 'claude/claude-sonnet-5-5', reason: expect.stringContaining('custom router → complex (by length)') });
    expect((await r.provider.complete([{ role: 'user', content: 'hi' }])).route).toMatchObject({ tier: 'simple', chosen: 'ollama/qwen2.5:7b' });
  });

  it('streams are routed too, and carry the route and cost on their response', async () => {
    const r = await rig({ routing: { tiers: TIERS } });
    const stream = r.provider.streamComplete(complex);
    let text = '';
    for await (const chunk of stream) text += chunk;
    const response = await stream.response;
    expect(text).toBe('Stand-in response');
    expect(response).toMatchObject({ provider: 'claude', route: { chosen: 'claude/claude-sonnet-5-5' }, cost: { source: 'reported' } });
    expect(r.events[0]!.route?.chosen).toBe('claude/claude-sonnet-5-5');
  });
});

describe('budgets', () => {
  const sonnetDay = (limit: number) => ({ limits: [{ name: 'sonnet daily', provider: 'claude', model: 'claude-sonnet-5-5', period: 'day' as const, limit }] });
  // Long enough that the reservation's prompt estimate covers the stand-in's reported 30 input tokens.
  const ask = (i: number) => [{ role: 'user' as const, content: `Why does Sonarr grab the 720p release ${i} of this series when my quality cutoff is set to 1080p WEB-DL?` }];

  it('200 concurrent calls against a limit never spend past it: each is reserved before it is sent, the rest refused', async () => {
    // A stand-in of its own: the answers arranged for refused calls are never taken.
    const own = await startAnthropicStandIn();
    const r = await rig({
      routing: { tiers: { complex: ['claude/claude-sonnet-5-5'] } },
      budgets: sonnetDay(0.004),
      providers: { claude: { apiKey: KEY, baseUrl: own.url, apiVersion: '2023-06-01' }, ollama: { baseUrl: ollama.url, autoDownload: false, model: 'qwen2.5:7b' } },
    });
    for (let i = 0; i < 200; i++) own.arrange({ type: 'text', chunks: ['ok'], usage: { inputTokens: 30, outputTokens: 20 } });
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => r.provider.complete(ask(i), { maxTokens: 20 })));
    const ok = results.filter((x) => x.status === 'fulfilled').length;
    const refused = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(refused.every((x) => BudgetExceededError.isInstance(x.reason))).toBe(true);
    const [status] = await r.factory.budgets!.status();
    const perCall = (30 * 3 + 20 * 15) / 1e6;
    const reservation = r.factory.budgets!.worstCase('claude', 'claude-sonnet-5-5', Math.ceil((Math.ceil(ask(100)[0]!.content.length / 4) + 4) * 1.25), 20);
    expect(status).toMatchObject({ name: 'sonnet daily', reserved: 0 });
    expect(status!.spent).toBeCloseTo(ok * perCall, 12);
    expect(status!.spent).toBeLessThanOrEqual(0.004 + reservation);
    // The limit admitted as many calls as their worst case allows, and no more.
    expect(ok).toBe(Math.floor(0.004 / reservation));
    expect(refused.length).toBe(200 - ok);
    expect(own.requests.filter((q) => q.path === '/v1/messages')).toHaveLength(ok);
    await r.close();
    await own.close();
    expect((refused[0]!.reason as BudgetExceededError).refusals[0]).toMatchObject({ budget: 'sonnet daily', candidate: 'claude/claude-sonnet-5-5', limit: 0.004 });
  });

  it('a call that would exceed one budget goes to the next allowed candidate, and the route says why', async () => {
    const r = await rig({ routing: { tiers: { complex: ['claude/claude-sonnet-5-5', 'claude/claude-opus-5-5'] } }, budgets: sonnetDay(0.000001) });
    const answer = await r.provider.complete(complex, { maxTokens: 50 });
    expect(answer.route).toMatchObject({ chosen: 'claude/claude-opus-5-5', skipped: [{ candidate: 'claude/claude-sonnet-5-5', reason: 'budget "sonnet daily" would be exceeded' }] });
    expect(anthropic.lastRequest()!.model).toBe('claude-opus-5-5');
  });

  it('retries are costed once, and a failed call releases its reservation', async () => {
    const r = await rig({ routing: { tiers: { complex: ['claude/claude-sonnet-5-5'] } }, budgets: sonnetDay(1) });
    anthropic.arrange({ type: 'error', error: 'overloaded' }, { type: 'text', chunks: ['fine'], usage: { inputTokens: 100, outputTokens: 40 } });
    await r.provider.complete(complex, { maxTokens: 64 });
    let [status] = await r.factory.budgets!.status();
    expect(status!.spent).toBeCloseTo((100 * 3 + 40 * 15) / 1e6, 12);
    expect(status!.reserved).toBe(0);
    anthropic.arrange({ type: 'error', error: 'invalid-request' });
    await expect(r.provider.complete(complex, { maxTokens: 64 })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    [status] = await r.factory.budgets!.status();
    expect(status!.spent).toBeCloseTo((100 * 3 + 40 * 15) / 1e6, 12);
    expect(status!.reserved).toBe(0);
  });

  it('a cut stream and a stream its consumer leaves are costed from what arrived, never zero', async () => {
    const r = await rig({ routing: { tiers: { complex: ['claude/claude-sonnet-5-5'] } }, budgets: sonnetDay(1), pipeline: { defaults: { maxAttempts: 1 } } });
    anthropic.arrange({ type: 'cut', chunks: ['x'.repeat(400)] });
    await expect(r.provider.streamComplete(complex).collect()).rejects.toMatchObject({ code: 'INCOMPLETE_STREAM' });
    let [status] = await r.factory.budgets!.status();
    expect(status!.reserved).toBe(0);
    const cutCost = status!.spent;
    expect(cutCost).toBeGreaterThanOrEqual((100 * 15) / 1e6); // 400 characters ≈ 100 output tokens
    anthropic.arrange({ type: 'text', chunks: ['y'.repeat(400), 'z'.repeat(400)], delayMs: 20 });
    for await (const _ of r.provider.streamComplete(complex)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
    [status] = await r.factory.budgets!.status();
    expect(status!.reserved).toBe(0);
    expect(status!.spent - cutCost).toBeGreaterThanOrEqual((100 * 15) / 1e6);
  });

  it('spend survives a restart when seeded from the call records, and still refuses past the limit', async () => {
    const first = await rig({ routing: { tiers: { complex: ['claude/claude-sonnet-5-5'] } }, budgets: sonnetDay(0.01) });
    anthropic.arrange({ type: 'text', chunks: ['a'], usage: { inputTokens: 1000, outputTokens: 400 } });
    await first.provider.complete(complex, { maxTokens: 500 });
    const records = first.factory.ledger.entries().map((e) => ({ at: e.at, provider: e.provider, model: e.model, cost: e.cost ?? 0 }));
    const spent = (1000 * 3 + 400 * 15) / 1e6;
    const second = await rig({ routing: { tiers: { complex: ['claude/claude-sonnet-5-5'] } }, budgets: sonnetDay(0.01) });
    await second.factory.budgets!.seed(records);
    const [status] = await second.factory.budgets!.status();
    expect(status!.spent).toBeCloseTo(spent, 12);
    // 0.009 spent: a call that may cost 500 output tokens (0.0075) no longer fits.
    await expect(second.provider.complete(complex, { maxTokens: 500 })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
  });

  it('budgets apply without routing too, on the chain as configured', async () => {
    const r = await rig({ fallback: { order: ['claude'] }, budgets: { limits: [{ provider: 'claude', period: 'month', limit: 0.000001 }] } });
    await expect(r.provider.complete(simple, { maxTokens: 10 })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
  });
});
