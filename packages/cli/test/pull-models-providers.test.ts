import { startAnthropicStandIn, startOllamaStandIn, type AnthropicStandIn, type OllamaStandIn } from '@autoarr-llm/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_KEY, closedPort, createTempApp, killStragglers, runCli, runCliJson, type TempApp } from './cli-harness.js';

let ollama: OllamaStandIn;
let claude: AnthropicStandIn;
let app: TempApp;
let down: string;

beforeAll(async () => {
  [ollama, claude] = await Promise.all([
    startOllamaStandIn({
      pullable: [
        { name: 'llama3.2', size: 2_000_000_000, capabilities: ['completion', 'tools'], contextLength: 131_072 },
        { name: 'mistral', size: 4_100_000_000 },
      ],
      pullSteps: 4,
      pullStepMs: 20,
    }),
    startAnthropicStandIn(),
  ]);
  down = `http://127.0.0.1:${await closedPort()}`;
  app = createTempApp({ 'autoarr-llm.config.json': JSON.stringify({ fallback: { order: ['ollama', 'claude'] } }) });
});
afterEach(killStragglers);
afterAll(async () => {
  await Promise.all([ollama?.close(), claude?.close()]);
  app?.remove();
});

const env = () => ({ OLLAMA_URL: ollama.url, CLAUDE_BASE_URL: claude.url, CLAUDE_API_KEY: CANARY_KEY });

describe('autoarr-llm pull', () => {
  it('downloads through ollama with plain progress lines on a non-terminal stderr, then reports success', async () => {
    const r = await runCli(['pull', 'llama3.2'], { cwd: app.dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('pulled llama3.2 (ollama)\n');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('pulling llama3.2 with ollama');
    expect(lines).toContain('pulling manifest');
    const percents = lines.flatMap((l) => /^pulling [0-9a-f]{12} (\d+)% \(.+ of 2\.0 GB\)$/.exec(l)?.[1] ?? []).map(Number);
    expect(percents).toEqual([0, 25, 50, 75, 100]);
    expect(lines.slice(-3)).toEqual(['verifying sha256 digest', 'writing manifest', 'success']);
    // No terminal escapes when stderr is not a terminal.
    expect(r.stderr).not.toMatch(/\r|\x1b\[/);
    expect(ollama.state.installed.has('llama3.2:latest')).toBe(true);
  });

  it('--json: one result object on stdout (progress stays on stderr)', async () => {
    const r = await runCliJson(['pull', 'mistral', '--provider', 'ollama'], { cwd: app.dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toEqual({ provider: 'ollama', model: 'mistral', status: 'success' });
    expect(r.stderr).toContain('100%');
  });

  it('a model the registry does not have: exit 5 with the reason', async () => {
    const r = await runCli(['pull', 'no-such-model'], { cwd: app.dir, env: env() });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('error [MODEL_NOT_FOUND]');
    expect(r.stderr).toContain('no-such-model');
    expect(r.stdout).toBe('');
  });

  it('a provider without model downloads: a clear error, exit 2', async () => {
    const r = await runCliJson(['pull', 'claude-haiku-5-5', '--provider', 'claude'], { cwd: app.dir, env: env() });
    expect(r.code).toBe(2);
    expect(r.json.error).toEqual({ code: 'UNSUPPORTED_FEATURE', message: 'provider "claude" cannot pull models' });
  });

  it('ollama unreachable: exit 4 naming the address', async () => {
    const r = await runCli(['pull', 'llama3.2'], { cwd: app.dir, env: { ...env(), OLLAMA_URL: down } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`cannot reach the Ollama daemon at ${down}`);
  });
});

describe('autoarr-llm models', () => {
  it('lists every installed provider\'s models with capabilities', async () => {
    const r = await runCli(['models'], { cwd: app.dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ollama\tqwen2\.5:7b\tctx 32768\tstreaming,tools/m);
    expect(r.stdout).toMatch(/^claude\tclaude-sonnet-5-5\tctx 1000000\t/m);
    expect(r.stderr).toBe('');
  });

  it('--json, one provider', async () => {
    const r = await runCliJson(['models', 'claude'], { cwd: app.dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.failures).toEqual([]);
    expect(r.json.models.map((m: { id: string }) => m.id)).toEqual(['claude-sonnet-5-5', 'claude-haiku-5-5', 'claude-opus-5-5']);
    expect(r.json.models[0]).toMatchObject({ provider: 'claude', capabilities: { streaming: true } });
  });

  it('ollama unreachable: the others are still listed, ollama is reported (exit 0); asked for alone, exit 4', { timeout: 90_000 }, async () => {
    const all = await runCliJson(['models'], { cwd: app.dir, env: { ...env(), OLLAMA_URL: down } });
    expect(all.code, all.stderr).toBe(0);
    expect(new Set(all.json.models.map((m: { provider: string }) => m.provider))).toEqual(new Set(['claude']));
    expect(all.json.failures).toEqual([{ provider: 'ollama', code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining(down) }]);

    const text = await runCli(['models'], { cwd: app.dir, env: { ...env(), OLLAMA_URL: down } });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('claude\tclaude-sonnet-5-5');
    expect(text.stderr).toContain('ollama: cannot list models [PROVIDER_UNAVAILABLE]');

    const one = await runCli(['models', 'ollama'], { cwd: app.dir, env: { ...env(), OLLAMA_URL: down } });
    expect(one.code).toBe(4);
    expect(one.stderr).toContain(`cannot reach the Ollama daemon at ${down}`);
  });

  it('no provider can list: exit 4', async () => {
    const r = await runCli(['models'], { cwd: app.dir, env: { OLLAMA_URL: down, CLAUDE_BASE_URL: claude.url } });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('ollama: cannot list models');
    expect(r.stderr).toContain('claude: cannot list models');
  });
});

describe('autoarr-llm providers', () => {
  it('each installed provider with its package, version and state', async () => {
    const r = await runCli(['providers'], { cwd: app.dir, env: { ...env(), OLLAMA_URL: down } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^claude\tok\t@autoarr-llm\/provider-claude@0\.1\.0$/m);
    expect(r.stdout).toMatch(/^ollama\tdown\t@autoarr-llm\/provider-ollama@0\.1\.0\t.*cannot reach the Ollama daemon/m);
    const j = await runCliJson(['providers'], { cwd: app.dir, env: env() });
    expect(j.json).toEqual([
      expect.objectContaining({ provider: 'claude', status: 'ok', package: '@autoarr-llm/provider-claude', version: '0.1.0', tier: 'free' }),
      expect.objectContaining({ provider: 'ollama', status: 'ok', package: '@autoarr-llm/provider-ollama', version: '0.1.0' }),
    ]);
  });
});
