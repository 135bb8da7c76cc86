import { startAnthropicStandIn, startOllamaStandIn, type AnthropicStandIn, type OllamaStandIn } from '@autoarr-llm/testkit';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_KEY, closedPort, createTempApp, keySentWith, killStragglers, runCli, runCliJson, type TempApp } from './cli-harness.js';

let ollama: OllamaStandIn;
let claude: AnthropicStandIn;
let app: TempApp;
let downUrl: string;

beforeAll(async () => {
  // Everything up includes the model being in memory (a cold one is its own case below).
  [ollama, claude] = await Promise.all([startOllamaStandIn({ loaded: ['qwen2.5:7b'] }), startAnthropicStandIn()]);
  downUrl = `http://127.0.0.1:${await closedPort()}`;
  app = createTempApp({ 'autoarr-llm.config.json': JSON.stringify({ fallback: { order: ['ollama', 'claude'] } }) });
});
afterEach(killStragglers);
afterAll(async () => {
  await Promise.all([ollama?.close(), claude?.close()]);
  app?.remove();
});

const upEnv = () => ({ OLLAMA_URL: ollama.url, CLAUDE_BASE_URL: claude.url, CLAUDE_API_KEY: CANARY_KEY });

describe('autoarr-llm doctor', () => {
  it('with everything up: config file, plugins with version and status, each provider healthy, the chain and the pick (exit 0)', async () => {
    const r = await runCli(['doctor'], { cwd: app.dir, env: upEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Config:    ${app.dir}/autoarr-llm.config.json`);
    expect(r.stdout).toContain('[ok] @autoarr-llm/provider-ollama@0.1.0 -> ollama');
    expect(r.stdout).toContain('[ok] @autoarr-llm/provider-claude@0.1.0 -> claude');
    expect(r.stdout).toMatch(/ollama: ok, model qwen2\.5:7b/);
    expect(r.stdout).toMatch(/claude: ok, model claude-sonnet-5-5/);
    expect(r.stdout).toContain(`Chain:     ollama -> claude  (fallback order from file ${app.dir}/autoarr-llm.config.json)`);
    expect(r.stdout).toContain('Would use: ollama (first in the chain, and usable)');
    // The health checks really reached the stand-ins, with the key.
    expect(ollama.requests.some((q) => q.path === '/api/version')).toBe(true);
    expect(keySentWith(claude.requests.at(-1)?.headers)).toBe(CANARY_KEY);
  });

  it('--json: the same report as one object', async () => {
    const r = await runCliJson(['doctor'], { cwd: app.dir, env: upEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.configFile).toBe(`${app.dir}/autoarr-llm.config.json`);
    expect(r.json.plugins).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ package: '@autoarr-llm/provider-ollama', version: '0.1.0', provider: 'ollama', status: 'loaded', source: 'dependency' }),
        expect.objectContaining({ package: '@autoarr-llm/provider-claude', version: '0.1.0', provider: 'claude', status: 'loaded' }),
      ]),
    );
    expect(r.json.chain).toMatchObject({ order: ['ollama', 'claude'], fallbackEnabled: true, selected: 'ollama' });
    expect(r.json.providers.map((p: { provider: string; status: string }) => [p.provider, p.status])).toEqual([
      ['ollama', 'ok'],
      ['claude', 'ok'],
    ]);
    expect(r.json.error).toBeUndefined();
  });

  it('a cold local model (installed, not in memory) is shown as cold, not ok, in doctor, providers and their --json', async () => {
    const cold = await startOllamaStandIn();
    try {
      const env = { ...upEnv(), OLLAMA_URL: cold.url };
      const r = await runCli(['doctor'], { cwd: app.dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/ollama: cold, model qwen2\.5:7b \[[\d.]+ ms\] - not in memory yet \(loading, or loaded by the first call, which waits for it\)/);
      expect(r.stdout).toContain('Would use: ollama (first in the chain, and usable); its model is cold: the first call waits for it to load');
      const j = await runCliJson(['doctor'], { cwd: app.dir, env });
      expect(j.json.providers.map((p: { provider: string; status: string; cold: boolean }) => [p.provider, p.status, p.cold])).toEqual([
        ['ollama', 'ok', true],
        ['claude', 'ok', false],
      ]);
      const list = await runCli(['providers'], { cwd: app.dir, env });
      expect(list.stdout).toMatch(/^ollama\tcold\t@autoarr-llm\/provider-ollama@0\.1\.0$/m);
      const listJson = await runCliJson(['providers'], { cwd: app.dir, env });
      expect(listJson.json).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'ollama', status: 'ok', cold: true })]));
    } finally {
      await cold.close();
    }
  });

  it('ollama down and no Claude key: both reasons, "Would use: none", exit 4', async () => {
    const r = await runCli(['doctor'], { cwd: app.dir, env: { OLLAMA_URL: downUrl, CLAUDE_BASE_URL: claude.url } });
    expect(r.code).toBe(4);
    expect(r.stdout).toContain(`ollama: down`);
    expect(r.stdout).toContain(`cannot reach the Ollama daemon at ${downUrl}`);
    expect(r.stdout).toContain('claude: down');
    expect(r.stdout).toContain('no API key configured; set CLAUDE_API_KEY');
    expect(r.stdout).toContain('Would use: none');
    expect(r.stderr).toContain('NO_PROVIDER_AVAILABLE');
  });

  it('ollama down and no Claude key, --json: the error lists both attempts, exit 4', async () => {
    const r = await runCliJson(['doctor'], { cwd: app.dir, env: { OLLAMA_URL: downUrl, CLAUDE_BASE_URL: claude.url } });
    expect(r.code).toBe(4);
    expect(r.json.chain.selected).toBeNull();
    expect(r.json.error.code).toBe('NO_PROVIDER_AVAILABLE');
    expect(r.json.error.attempts).toEqual([
      expect.objectContaining({ provider: 'ollama', code: 'PROVIDER_UNAVAILABLE', reason: expect.stringContaining(downUrl) }),
      expect.objectContaining({ provider: 'claude', reason: expect.stringContaining('CLAUDE_API_KEY') }),
    ]);
  });

  it('ollama down but a Claude key: claude would serve, and doctor says why (exit 0)', async () => {
    const r = await runCli(['doctor'], { cwd: app.dir, env: { ...upEnv(), OLLAMA_URL: downUrl } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Would use: claude (ollama not usable, see above)');
  });

  it('a strict plugin that fails to import fails doctor (exit 4, naming it), even with a usable provider; not strict, it is reported and doctor passes', async () => {
    const broken = createTempApp();
    try {
      mkdirSync(join(broken.dir, 'node_modules/autoarr-llm-provider-broken'));
      broken.write('node_modules/autoarr-llm-provider-broken/package.json', JSON.stringify({ name: 'autoarr-llm-provider-broken', version: '1.0.0', type: 'module', 'autoarr-llm-plugin': { apiVersion: 1, provider: 'broken', entry: './plugin.mjs' } }));
      broken.write('node_modules/autoarr-llm-provider-broken/plugin.mjs', 'throw new Error("kaboom at import");');
      broken.write('autoarr-llm.config.json', JSON.stringify({ plugins: [{ package: 'autoarr-llm-provider-broken', strict: true }], fallback: { order: ['ollama', 'claude'] } }));
      const strict = await runCli(['doctor'], { cwd: broken.dir, env: upEnv() });
      expect(strict.code, strict.stdout + strict.stderr).toBe(4);
      expect(strict.stderr).toMatch(/autoarr-llm-provider-broken.*kaboom at import/);
      broken.write('autoarr-llm.config.json', JSON.stringify({ plugins: ['autoarr-llm-provider-broken'], fallback: { order: ['ollama', 'claude'] } }));
      const lenient = await runCli(['doctor'], { cwd: broken.dir, env: upEnv() });
      expect(lenient.code, lenient.stdout + lenient.stderr).toBe(0);
      expect(lenient.stdout).toContain('autoarr-llm-provider-broken');
    } finally {
      broken.remove();
    }
  });

  it('--ask answers through the chain, streamed, and names who answered', async () => {
    ollama.arrange({ type: 'text', chunks: ['Sonarr ', 'manages TV series.'] });
    const r = await runCli(['doctor', '--ask', 'What does Sonarr do?'], { cwd: app.dir, env: upEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Answer:\nSonarr manages TV series.\n(answered by ollama, model qwen2.5:7b)');
    expect(ollama.lastRequest()?.messages).toEqual([{ role: 'user', text: 'What does Sonarr do?' }]);
  });

  it('--ask when the first provider fails and the next answers: the answer is labelled with the one that answered', async () => {
    // A 403 is not retried: the chain moves straight on to Claude.
    ollama.arrange({ type: 'error', error: 'permission' });
    claude.arrange({ type: 'text', chunks: ['Sonarr manages TV series.'] });
    const r = await runCli(['doctor', '--ask', 'What does Sonarr do?'], { cwd: app.dir, env: upEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('Answer (ollama)');
    expect(r.stdout).toContain('Answer:\nSonarr manages TV series.\n(answered by claude, model claude-sonnet-5-5)');
  });

  it('premium plugin installed without a license: the Chain line is the order used (custom skipped, then ollama before claude), and ollama answers', async () => {
    const premium = createTempApp({ 'autoarr-llm.config.json': JSON.stringify({ allowScopes: ['@autoarr-premium'] }) });
    try {
      // Installed as the premium build installs it: in node_modules and listed in the app's dependencies.
      mkdirSync(join(premium.dir, 'node_modules/@autoarr-premium'), { recursive: true });
      symlinkSync(fileURLToPath(new URL('../../../plugins/premium/provider-custom', import.meta.url)), join(premium.dir, 'node_modules/@autoarr-premium/provider-custom'), 'dir');
      const pkg = JSON.parse(readFileSync(join(premium.dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      pkg.dependencies['@autoarr-premium/provider-custom'] = '^0.1.0';
      writeFileSync(join(premium.dir, 'package.json'), JSON.stringify(pkg));
      const env = { ...upEnv(), CUSTOM_MODEL_PATH: join(premium.dir, 'model.gguf') };
      const r = await runCli(['doctor'], { cwd: premium.dir, env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/custom: unusable.*license/i);
      expect(r.stdout).toContain('Chain:     custom -> ollama -> claude  (free default chain (premium plugin installed but custom unlicensed))');
      expect(r.stdout).toContain('Would use: ollama (custom not usable, see above)');
      ollama.arrange({ type: 'text', chunks: ['local answer'] });
      const asked = await runCli(['doctor', '--ask', 'hi'], { cwd: premium.dir, env });
      expect(asked.stdout).toContain('(answered by ollama, model qwen2.5:7b)');
      const j = await runCliJson(['doctor'], { cwd: premium.dir, env });
      expect(j.json.chain).toMatchObject({ order: ['custom', 'ollama', 'claude'], selected: 'ollama' });
    } finally {
      premium.remove();
    }
  });

  it('--verbose logs to stderr, never the key', async () => {
    const r = await runCli(['doctor', '--verbose', '--ask', 'hi'], { cwd: app.dir, env: { ...upEnv(), OLLAMA_URL: downUrl } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('[autoarr-llm]');
    // runCli has already failed the test if the key appeared in either stream.
    expect(r.stdout).toContain('(answered by claude');
  });
});
