import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, loadConfig, ProviderFactory, resolveProviderSettings } from '@autoarr-llm/core';
import { describe, expect, it } from 'vitest';
import { createOllama } from './create-ollama.js';
import { OllamaProvider } from './ollama-provider.js';
import plugin from './plugin.js';

const cwd = mkdtempSync(join(tmpdir(), 'ollama-settings-'));

async function settingsFrom(env: Record<string, string>, overrides?: Record<string, unknown>) {
  const config = await loadConfig({ cwd, configFile: false, env, ...(overrides ? { overrides: { providers: { ollama: overrides } } as never } : {}) });
  return resolveProviderSettings(config, plugin);
}

async function configError(env: Record<string, string>): Promise<ConfigValidationError> {
  try {
    await settingsFrom(env);
  } catch (error) {
    expect(ConfigValidationError.isInstance(error)).toBe(true);
    return error as ConfigValidationError;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('ollama settings', () => {
  it('defaults: localhost:11434, qwen2.5:7b, 120 s, auto-download on, keep-alive 5m, no key needed', async () => {
    await expect(settingsFrom({})).resolves.toEqual({
      baseUrl: 'http://localhost:11434',
      model: 'qwen2.5:7b',
      timeout: 120,
      autoDownload: true,
      keepAlive: '5m',
      modelLoadTimeout: 300,
    });
  });

  it('reads every seed variable, plus keep-alive and the model-load timeout', async () => {
    const s = await settingsFrom({
      OLLAMA_URL: 'http://gpu-box:11434/',
      OLLAMA_MODEL: 'llama3.2',
      OLLAMA_TIMEOUT: '30',
      OLLAMA_AUTO_DOWNLOAD: 'false',
      OLLAMA_KEEP_ALIVE: '-1',
      OLLAMA_MODEL_LOAD_TIMEOUT: '600',
    });
    expect(s).toEqual({ baseUrl: 'http://gpu-box:11434', model: 'llama3.2', timeout: 30, autoDownload: false, keepAlive: -1, modelLoadTimeout: 600 });
  });

  it('a keep-alive in plain seconds is sent as a number (Ollama does not parse "300" as a duration)', async () => {
    expect((await settingsFrom({ OLLAMA_KEEP_ALIVE: '300' })).keepAlive).toBe(300);
    expect((await settingsFrom({ OLLAMA_KEEP_ALIVE: '1h30m' })).keepAlive).toBe('1h30m');
  });

  it('explicit options win over env vars', async () => {
    expect((await settingsFrom({ OLLAMA_MODEL: 'llama3.2' }, { model: 'mistral' })).model).toBe('mistral');
  });

  it('OLLAMA_TIMEOUT=abc fails naming the variable', async () => {
    const err = await configError({ OLLAMA_TIMEOUT: 'abc' });
    expect(err.issues).toEqual([expect.objectContaining({ key: 'providers.ollama.timeout', source: 'env OLLAMA_TIMEOUT' })]);
    expect(err.message).toContain('OLLAMA_TIMEOUT');
  });

  it('every bad value is listed at once, each with its variable', async () => {
    const err = await configError({ OLLAMA_URL: 'not a url', OLLAMA_AUTO_DOWNLOAD: 'perhaps', OLLAMA_KEEP_ALIVE: 'forever', OLLAMA_TIMEOUT: '-5' });
    expect(err.issues.map((i) => i.source).sort()).toEqual(['env OLLAMA_AUTO_DOWNLOAD', 'env OLLAMA_KEEP_ALIVE', 'env OLLAMA_TIMEOUT', 'env OLLAMA_URL']);
    expect(err.issues.find((i) => i.source === 'env OLLAMA_URL')?.message).toMatch(/http/);
  });

  it('a non-http URL is refused', async () => {
    const err = await configError({ OLLAMA_URL: 'ftp://localhost:11434' });
    expect(err.issues[0]?.source).toBe('env OLLAMA_URL');
  });

  it('the factory creates an OllamaProvider from env through the plugin', async () => {
    const config = await loadConfig({ cwd, configFile: false, env: { OLLAMA_MODEL: 'gemma3', OLLAMA_TIMEOUT: '5' } });
    const factory = new ProviderFactory({ config, discover: false });
    factory.registerProvider('ollama', plugin);
    const provider = await factory.createSingle('ollama');
    expect(provider).toBeInstanceOf(OllamaProvider);
    expect((provider as OllamaProvider).settings).toMatchObject({ model: 'gemma3', timeout: 5 });
    await factory.dispose();
  });

  it('the factory reports bad env through ConfigValidationError, not a plugin failure', async () => {
    const config = await loadConfig({ cwd, configFile: false, env: { OLLAMA_TIMEOUT: 'abc' } });
    const factory = new ProviderFactory({ config, discover: false });
    factory.registerProvider('ollama', plugin);
    await expect(factory.createSingle('ollama')).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('OLLAMA_TIMEOUT') });
  });

  it('createOllama validates settings written in code', () => {
    expect(createOllama({ model: 'mistral' }).settings.model).toBe('mistral');
    expect(() => createOllama({ baseUrl: 'nope' })).toThrow(/baseUrl/);
  });

  it('the plugin declares its name, API version, tier and env mapping', () => {
    expect(plugin).toMatchObject({ name: 'ollama', apiVersion: 1, tier: 'free' });
    expect(Object.keys(plugin.env)).toEqual(expect.arrayContaining(['OLLAMA_URL', 'OLLAMA_MODEL', 'OLLAMA_TIMEOUT', 'OLLAMA_AUTO_DOWNLOAD', 'OLLAMA_KEEP_ALIVE']));
  });
});
