import { inspect } from 'node:util';
import { isProviderPlugin, PROVIDER_API_VERSION, silentLogger, type PluginContext } from '@autoarr-llm/core';
import { describe, expect, it } from 'vitest';
import { CANARY_KEY } from './claude-harness.test-helper.js';
import { ClaudeProvider, createClaude } from './claude-provider.js';
import { DEFAULT_CLAUDE_MODEL } from './claude-settings.js';
import plugin from './plugin.js';

const context: PluginContext = { logger: silentLogger, appRoot: '/app', env: {}, services: new Map() };

async function settings(input: unknown) {
  const result = await plugin.configSchema['~standard'].validate(input);
  if (result.issues) throw new Error(result.issues.map((i) => i.message).join('; '));
  return result.value;
}

describe('claude plugin', () => {
  it('is a branded plugin with its env mapping and secret keys', () => {
    expect(isProviderPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ name: 'claude', apiVersion: PROVIDER_API_VERSION, tier: 'free', secretKeys: ['apiKey'] });
    expect(plugin.env).toMatchObject({ CLAUDE_API_KEY: 'apiKey', ANTHROPIC_API_KEY: 'apiKey', CLAUDE_MODEL: 'model', CLAUDE_MAX_TOKENS: 'maxTokens', CLAUDE_BASE_URL: 'baseUrl', CLAUDE_TIMEOUT: 'timeout' });
  });

  it('validates settings from env strings, with defaults, holding the key as a masked Secret', async () => {
    const s = await settings({ apiKey: CANARY_KEY, maxTokens: '2048', timeout: '5000' });
    expect(s).toMatchObject({ model: DEFAULT_CLAUDE_MODEL, maxTokens: 2048, timeout: 5000, baseUrl: 'https://api.anthropic.com' });
    expect(s.apiKey?.reveal()).toBe(CANARY_KEY);
    expect(JSON.stringify(s)).not.toContain(CANARY_KEY);
    expect(inspect(s)).not.toContain(CANARY_KEY);
    await expect(settings({ maxTokens: 'lots' })).rejects.toThrow(/number/);
  });

  it('create never throws for a missing key; the provider is unavailable', async () => {
    const provider = await plugin.create(await settings({}), context);
    expect(provider).toBeInstanceOf(ClaudeProvider);
    await expect(provider.isAvailable()).resolves.toBe(false);
    expect((await provider.healthCheck()).reason).toMatch(/CLAUDE_API_KEY/);
  });
});

describe('createClaude', () => {
  it('falls back to CLAUDE_* / ANTHROPIC_API_KEY variables; explicit settings win', () => {
    const env = { ANTHROPIC_API_KEY: CANARY_KEY, CLAUDE_MODEL: 'claude-haiku-5-5', CLAUDE_MAX_TOKENS: '100' };
    const p = createClaude({ maxTokens: 50 }, { env });
    expect(p.configured).toBe(true);
    expect(p.model).toBe('claude-haiku-5-5');
    expect(p.toJSON()).toMatchObject({ maxTokens: 50, apiKey: '[redacted]' });
  });

  it('ANTHROPIC_BASE_URL, as the Anthropic SDK reads it, sets the endpoint; CLAUDE_BASE_URL wins over it', () => {
    expect(createClaude({}, { env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/proxy' } }).toJSON()).toMatchObject({ baseUrl: 'http://127.0.0.1:9/proxy' });
    expect(createClaude({}, { env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9/proxy', CLAUDE_BASE_URL: 'http://127.0.0.1:8' } }).toJSON()).toMatchObject({ baseUrl: 'http://127.0.0.1:8' });
  });

  it('reports every bad setting with its source', () => {
    expect(() => createClaude({ baseUrl: 'not a url' }, { env: { CLAUDE_TIMEOUT: 'soon' } })).toThrow(/baseUrl \(from createClaude\(\) settings\)[\s\S]*timeout \(from env CLAUDE_TIMEOUT\)/);
  });
});
