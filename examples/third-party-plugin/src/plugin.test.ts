import { inspect } from 'node:util';
import { isProviderPlugin, PROVIDER_API_VERSION, silentLogger, type PluginContext } from '@autoarr-llm/core';
import { describe, expect, it } from 'vitest';
import { createOpenAICompatible } from './create-openai-compatible.js';
import { OpenAICompatibleProvider } from './openai-compatible-provider.js';
import plugin from './plugin.js';
import { CANARY_KEY, closedPort } from './test-support/openai-compatible-harness.js';

const context: PluginContext = { logger: silentLogger, appRoot: '/app', env: {}, services: new Map() };

async function settings(input: unknown) {
  const result = await plugin.configSchema['~standard'].validate(input);
  if (result.issues) throw new Error(result.issues.map((i) => `${i.path?.join('.')}: ${i.message}`).join('; '));
  return result.value;
}

describe('openai-compatible plugin', () => {
  it('is a branded plugin with its env mapping and secret keys', () => {
    expect(isProviderPlugin(plugin)).toBe(true);
    expect(plugin).toMatchObject({ name: 'openai-compatible', apiVersion: PROVIDER_API_VERSION, tier: 'free', secretKeys: ['apiKey'] });
    expect(plugin.env).toEqual({
      OPENAI_COMPATIBLE_BASE_URL: 'baseUrl',
      OPENAI_COMPATIBLE_API_KEY: 'apiKey',
      OPENAI_COMPATIBLE_MODEL: 'model',
      OPENAI_COMPATIBLE_TIMEOUT: 'timeout',
    });
  });

  it('validates settings as env strings, with defaults, holding the key as a masked Secret', async () => {
    const s = await settings({ baseUrl: 'http://gpu-box:8000/v1/', apiKey: CANARY_KEY, timeout: '5000' });
    expect(s).toMatchObject({ baseUrl: 'http://gpu-box:8000/v1', timeout: 5000, checkTimeout: 3000 });
    expect(s.model).toBeUndefined();
    expect(s.apiKey?.reveal()).toBe(CANARY_KEY);
    expect(JSON.stringify(s)).not.toContain(CANARY_KEY);
    expect(inspect(s)).not.toContain(CANARY_KEY);
    expect(await settings({})).toMatchObject({ baseUrl: 'http://127.0.0.1:8080/v1', timeout: 120_000 });
    await expect(settings({ timeout: 'soon' })).rejects.toThrow(/timeout: expected a number/);
    await expect(settings({ baseUrl: 'ftp://x' })).rejects.toThrow(/http\(s\) URL/);
  });

  it('create gives the provider; without a server it is unavailable, never throwing', async () => {
    const provider = await plugin.create(await settings({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1` }), context);
    try {
      expect(provider).toBeInstanceOf(OpenAICompatibleProvider);
      await expect(provider.isAvailable()).resolves.toBe(false);
      expect((await provider.healthCheck()).reason).toMatch(/cannot reach the server/);
    } finally {
      await provider.dispose();
    }
  });
});

describe('createOpenAICompatible', () => {
  it('falls back to OPENAI_COMPATIBLE_* variables; explicit settings win; the key never prints', () => {
    const env = { OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:1234/v1', OPENAI_COMPATIBLE_MODEL: 'lmstudio-model', OPENAI_COMPATIBLE_API_KEY: CANARY_KEY, OPENAI_COMPATIBLE_TIMEOUT: '9000' };
    const p = createOpenAICompatible({ timeout: 1000 }, { env });
    expect(p.model).toBe('lmstudio-model');
    expect(p.baseUrl).toBe('http://127.0.0.1:1234/v1');
    expect(p.toJSON()).toMatchObject({ timeout: 1000, apiKey: '[redacted]' });
    expect(inspect(p)).not.toContain(CANARY_KEY);
  });

  it('reports every bad setting with its source', () => {
    expect(() => createOpenAICompatible({ baseUrl: 'not a url' }, { env: { OPENAI_COMPATIBLE_TIMEOUT: 'soon' } })).toThrow(
      /baseUrl \(from createOpenAICompatible\(\) settings\)[\s\S]*timeout \(from env OPENAI_COMPATIBLE_TIMEOUT\)/,
    );
  });
});
