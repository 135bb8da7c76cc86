import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from './load-config.js';
import { envDurationMs, envDurationSeconds, envNumber } from './env-schemas.js';
import { ConfigValidationError, type ConfigIssue } from '../errors/config-validation-error.js';
import { openProviderFactory } from '../factory/open-provider-factory.js';
import { createProvider } from '../factory/create-provider.js';
import { definePlugin } from '../plugin/define-plugin.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';
import type { LLMResponse } from '../contract/response.js';
import { tempApp } from '../test-support/temp-app.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function app(files: Record<string, string | object>) {
  const a = tempApp({ 'package.json': { name: 'app' }, ...files });
  cleanups.push(a.cleanup);
  return a.dir;
}

async function issuesOf(promise: Promise<unknown>): Promise<ConfigIssue[]> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(ConfigValidationError.isInstance(error)).toBe(true);
  return (error as ConfigValidationError).issues;
}

class EchoProvider extends BaseLLMProvider {
  constructor(readonly name: string) {
    super();
  }
  protected async doComplete(): Promise<LLMResponse> {
    return { content: 'echo', model: 'echo', provider: this.name };
  }
  protected async *doStream(): AsyncGenerator<never, LLMResponse | undefined, void> {
    return { content: '', model: 'echo', provider: this.name };
  }
  protected async doHealthCheck() {
    return { status: 'ok' as const, reachable: true };
  }
  async getModels() {
    return [];
  }
}

// Two providers whose settings are zod objects that strip unknown keys, as most plugins' do.
const ollamaLike = definePlugin({
  name: 'ollama',
  apiVersion: 1,
  configSchema: z.object({ baseUrl: z.url().default('http://127.0.0.1:1'), model: z.string().default('m'), timeout: envDurationSeconds().default(120) }),
  env: { OLLAMA_URL: 'baseUrl', OLLAMA_TIMEOUT: 'timeout' },
  create: () => new EchoProvider('ollama'),
});
const claudeLike = definePlugin({
  name: 'claude',
  apiVersion: 1,
  configSchema: z.object({ maxTokens: envNumber().default(4096), model: z.string().default('c') }),
  create: () => new EchoProvider('claude'),
});
const register = { ollama: ollamaLike, claude: claudeLike };

describe('config strictness', () => {
  it('misspelled provider settings and unknown provider sections are errors with a suggestion, all in one error with core\'s', async () => {
    const dir = app({
      'autoarr-llm.config.yaml': [
        'fallbak: {}',
        'providers:',
        '  ollama:',
        '    baseURL: http://127.0.0.1:2',
        '    modle: qwen',
        '  claude:',
        '    max_tokens: 10',
        '  olama:',
        '    model: x',
        '',
      ].join('\n'),
    });
    const file = `file ${dir}/autoarr-llm.config.yaml`;
    const issues = await issuesOf(openProviderFactory({ cwd: dir, env: { OLLAMA_TIMEOUT: 'soon' }, register }));
    expect(issues).toEqual(
      expect.arrayContaining([
        { key: 'fallbak', source: file, message: 'unknown setting: did you mean "fallback"?' },
        { key: 'providers.ollama.baseURL', source: file, message: 'unknown setting: did you mean "baseUrl"?' },
        { key: 'providers.ollama.modle', source: file, message: 'unknown setting: did you mean "model"?' },
        { key: 'providers.ollama.timeout', source: 'env OLLAMA_TIMEOUT', message: 'expected a number' },
        { key: 'providers.claude.max_tokens', source: file, message: 'unknown setting: did you mean "maxTokens"?' },
        expect.objectContaining({ key: 'providers.olama', source: file, message: expect.stringMatching(/did you mean "ollama"/) }),
      ]),
    );
    expect(issues).toHaveLength(6);
    // createProvider() reports the same, not only the first provider's.
    expect(await issuesOf(createProvider(undefined, { cwd: dir, env: { OLLAMA_TIMEOUT: 'soon' }, register }))).toHaveLength(6);
  });

  it('valid settings still create the provider', async () => {
    const dir = app({ 'autoarr-llm.config.json': { providers: { ollama: { model: 'q' }, claude: { maxTokens: 5 } } } });
    const provider = await createProvider('ollama', { cwd: dir, env: {}, register });
    expect(provider.name).toBeDefined();
    await provider.dispose();
  });

  it('refuses __proto__ and constructor keys', async () => {
    const dir = app({ 'autoarr-llm.config.json': '{"__proto__": {"polluted": true}, "providers": {"ollama": {"constructor": {"x": 1}}}}' });
    const issues = await issuesOf(loadConfig({ cwd: dir, env: {} }));
    expect(issues.map((i) => i.key).sort()).toEqual(['__proto__', 'providers.ollama.constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a YAML alias bomb ends in CONFIG_INVALID quickly', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    lines.push('providers: { ollama: { model: *i } }');
    const dir = app({ 'autoarr-llm.config.yaml': lines.join('\n') });
    const issues = await issuesOf(loadConfig({ cwd: dir, env: {} }));
    expect(issues[0]?.message).toMatch(/more than 10000 settings/);
  });

  it('130k bad keys and deep nesting end in CONFIG_INVALID, not a stack overflow', async () => {
    const many = Object.fromEntries(Array.from({ length: 130_000 }, (_, i) => [`k${i}`, i]));
    const dir = app({ 'autoarr-llm.config.json': JSON.stringify(many) });
    expect((await issuesOf(loadConfig({ cwd: dir, env: {} })))[0]?.message).toMatch(/more than 10000 settings/);
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
    const deepDir = app({ 'autoarr-llm.config.json': `{"providers": {"ollama": {"x": ${deep}}}}` });
    expect((await issuesOf(loadConfig({ cwd: deepDir, env: {} })))[0]?.message).toMatch(/nested deeper than 32/);
  });

  it('durations longer than Node can time are refused at validation, in both units', async () => {
    expect(envDurationSeconds().safeParse('3000000').success).toBe(false);
    expect(envDurationSeconds().safeParse('2000000').success).toBe(true);
    expect(envDurationMs().safeParse(2 ** 31).success).toBe(false);
    const issues = await issuesOf(openProviderFactory({ cwd: app({ 'autoarr-llm.config.json': { providers: { ollama: {} } } }), env: { OLLAMA_TIMEOUT: '3000000' }, register }));
    expect(issues).toEqual([expect.objectContaining({ key: 'providers.ollama.timeout', source: 'env OLLAMA_TIMEOUT', message: expect.stringMatching(/at most 2147483 seconds/) })]);
    const core = await issuesOf(loadConfig({ cwd: app({}), env: {}, overrides: { pipeline: { deadlineMs: 2 ** 31 } } }));
    expect(core).toEqual([expect.objectContaining({ key: 'pipeline.deadlineMs', message: expect.stringMatching(/longest timer/) })]);
  });
});
