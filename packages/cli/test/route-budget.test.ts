import { startAnthropicStandIn, startOllamaStandIn, type AnthropicStandIn, type OllamaStandIn } from '@autoarr-llm/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_KEY, createTempApp, killStragglers, runCli, runCliJson, type TempApp } from './cli-harness.js';

let ollama: OllamaStandIn;
let claude: AnthropicStandIn;
let app: TempApp;

const config = {
  fallback: { order: ['ollama', 'claude'] },
  routing: { tiers: { simple: ['ollama/qwen2.5:7b', 'claude/claude-haiku-5-5'], complex: ['claude/claude-sonnet-5-5'] } },
  budgets: { limits: [{ name: 'claude monthly', provider: 'claude', period: 'month', limit: 20 }, { model: 'claude-sonnet', period: 'day', window: 'rolling', limit: 2 }] },
};

beforeAll(async () => {
  [ollama, claude] = await Promise.all([startOllamaStandIn(), startAnthropicStandIn()]);
  app = createTempApp({ 'autoarr-llm.config.json': JSON.stringify(config) });
});
afterEach(killStragglers);
afterAll(async () => {
  await Promise.all([ollama?.close(), claude?.close()]);
  app?.remove();
});

const env = () => ({ OLLAMA_URL: ollama.url, CLAUDE_BASE_URL: claude.url, CLAUDE_API_KEY: CANARY_KEY });
const chats = () => ollama.requests.filter((r) => r.path === '/api/chat').length + claude.requests.filter((r) => r.path === '/v1/messages').length;

describe('autoarr-llm route --explain', () => {
  it('shows features, score, tier, candidates and the choice, and sends nothing', async () => {
    const before = chats();
    const r = await runCli(['route', '--explain', 'Why does Sonarr keep grabbing 720p releases when my cutoff is 1080p?'], { cwd: app.dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^features: ~\d+ tokens, 1 turn\(s\), reasoning: why$/m);
    expect(r.stdout).toMatch(/^score: {4}0\.\d\d \(reasoning/m);
    expect(r.stdout).toContain('tier:     complex');
    expect(r.stdout).toMatch(/^ {2}\+ claude\/claude-sonnet-5-5 +complex +\$0\.\d{6}$/m);
    expect(r.stdout).toContain('choice:   claude/claude-sonnet-5-5');
    expect(chats()).toBe(before);
  });

  it('reads the prompt from stdin with -, and --json gives the whole decision', async () => {
    const r = await runCliJson(['route', '--explain', '-', '--max-tokens', '100'], { cwd: app.dir, env: env(), stdin: "What is Sonarr's default port?\n" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({
      tier: 'simple',
      choice: 'ollama/qwen2.5:7b',
      order: ['ollama/qwen2.5:7b', 'claude/claude-haiku-5-5', 'claude/claude-sonnet-5-5'],
      features: { maxTokens: 100, images: 0, tools: 0 },
      candidates: [{ id: 'ollama/qwen2.5:7b', expectedCost: 0 }, { id: 'claude/claude-haiku-5-5' }, { id: 'claude/claude-sonnet-5-5' }],
    });
  });

  it('says so when routing is not configured (exit 3)', async () => {
    const bare = createTempApp({ 'autoarr-llm.config.json': JSON.stringify({ fallback: { order: ['ollama'] } }) });
    try {
      const r = await runCli(['route', '--explain', 'hello'], { cwd: bare.dir, env: env() });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('routing is not configured');
    } finally {
      bare.remove();
    }
  });
});

describe('autoarr-llm budget', () => {
  it('lists each budget with its window, limit and spend', async () => {
    const r = await runCli(['budget'], { cwd: app.dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^claude monthly\n {2}provider claude; calendar month since \d{4}-\d\d-01T00:00:00\.000Z, resets \d{4}-\d\d-01T00:00:00\.000Z\n {2}spent 0\.00 \+ reserved 0\.00 of 20\.00 USD \(0\.0 %\), 20\.00 left$/m);
    expect(r.stdout).toMatch(/^#2 claude-sonnet per rolling day\n {2}model claude-sonnet; rolling day since /m);
    expect(r.stdout).toContain('store: MemorySpendStore (this process only');
    const j = await runCliJson(['budget'], { cwd: app.dir, env: env() });
    expect(j.json).toMatchObject({ budgets: [{ name: 'claude monthly', limit: 20, spent: 0, remaining: 20, period: 'month', window: 'calendar' }, { limit: 2, window: 'rolling' }] });
  });
});
