import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { AutoarrLlmConfigInput } from '../config/config-schema.js';
import { ProviderFactory } from './provider-factory.js';
import { createProvider } from './create-provider.js';
import { NoProviderAvailableError } from '../errors/no-provider-available-error.js';
import { ConfigValidationError } from '../errors/config-validation-error.js';
import { PluginLoadError } from '../errors/plugin-load-error.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';
import type { LLMResponse } from '../contract/response.js';
import { linkWorkspacePackages, mockPluginSource, pluginFiles, tempApp } from '../test-support/temp-app.js';

declare global {
  // eslint-disable-next-line no-var
  var __imported: string[] | undefined;
}

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
beforeEach(() => {
  globalThis.__imported = [];
});

function plugin(name: string, provider: string, tier: 'free' | 'premium' = 'free', source?: string) {
  return pluginFiles(name, { provider, tier, entrySource: source ?? mockPluginSource(provider, tier) });
}

function app(deps: Record<string, string | object>, files: Record<string, string | object> = {}) {
  const a = tempApp({ 'package.json': { name: 'app', dependencies: Object.fromEntries(Object.keys(deps).map((d) => [d, '1'])) }, ...files });
  for (const [, f] of Object.entries(deps)) Object.assign(files, f);
  cleanups.push(a.cleanup);
  linkWorkspacePackages(a.dir);
  return a.dir;
}

async function factoryFor(dir: string, overrides: AutoarrLlmConfigInput = {}, env: Record<string, string> = {}) {
  const config = await loadConfig({ cwd: dir, env, overrides });
  const factory = new ProviderFactory({ config });
  cleanups.push(() => void factory.dispose());
  return factory;
}

function standardApp(extra: Record<string, Record<string, string | object>> = {}) {
  const files = {
    ...plugin('@autoarr-llm/provider-ollama', 'ollama'),
    ...plugin('@autoarr-llm/provider-claude', 'claude'),
    ...Object.assign({}, ...Object.values(extra)),
  };
  const deps = ['@autoarr-llm/provider-ollama', '@autoarr-llm/provider-claude', ...Object.keys(extra)];
  const a = tempApp({ 'package.json': { name: 'app', dependencies: Object.fromEntries(deps.map((d) => [d, '1'])) }, ...files });
  cleanups.push(a.cleanup);
  linkWorkspacePackages(a.dir);
  return a.dir;
}

const hello = [{ role: 'user' as const, content: 'hello' }];

describe('ProviderFactory.createProvider', () => {
  it('uses the free default chain ollama → claude and imports only the selected plugin', async () => {
    const factory = await factoryFor(standardApp());
    const provider = await factory.createProvider();
    expect(provider.name).toBe('ollama');
    expect(provider.chain).toEqual(['ollama', 'claude']);
    expect(globalThis.__imported).toEqual(['ollama']);
    const r = await provider.complete(hello);
    expect(r).toMatchObject({ content: 'answer from ollama', provider: 'ollama' });
    expect(factory.loadReport().find((r) => r.provider === 'claude')?.status).toBe('discovered');
  });

  it('skips an unavailable provider and says why when none is available', async () => {
    const dir = standardApp();
    const factory = await factoryFor(dir, { providers: { ollama: { available: false } } });
    const provider = await factory.createProvider();
    expect(provider.name).toBe('claude');

    const none = await factoryFor(dir, { providers: { ollama: { available: false }, claude: { available: false } } });
    const err = (await none.createProvider().catch((e: unknown) => e)) as NoProviderAvailableError;
    expect(NoProviderAvailableError.isInstance(err)).toBe(true);
    expect(err.attempts.map((a) => a.provider)).toEqual(['ollama', 'claude']);
    expect(err.attempts[0]!.reason).toMatch(/unavailable/);
  });

  it('LLM_PROVIDER picks the provider; LLM_FALLBACK_ENABLED=false means only that one', async () => {
    const dir = standardApp();
    const chosen = await factoryFor(dir, {}, { LLM_PROVIDER: 'claude' });
    expect((await chosen.createProvider()).chain).toEqual(['claude', 'ollama']);
    expect(chosen.plan().reason).toMatch(/env LLM_PROVIDER/);

    const only = await factoryFor(dir, { providers: { claude: { available: false } } }, { LLM_PROVIDER: 'claude', LLM_FALLBACK_ENABLED: 'false' });
    const err = (await only.createProvider().catch((e: unknown) => e)) as NoProviderAvailableError;
    expect(err.attempts.map((a) => a.provider)).toEqual(['claude']);
  });

  it('an explicit name beats LLM_PROVIDER; LLM_FALLBACK_ORDER sets the order', async () => {
    const dir = standardApp();
    const factory = await factoryFor(dir, {}, { LLM_PROVIDER: 'ollama', LLM_FALLBACK_ORDER: 'claude,ollama' });
    expect((await factory.createProvider('claude')).chain).toEqual(['claude', 'ollama']);
    const byOrder = await factoryFor(dir, {}, { LLM_FALLBACK_ORDER: 'claude,ollama' });
    expect((await byOrder.createProvider()).name).toBe('claude');
  });

  it('falls back at call time when the primary fails in a way another provider can fix', async () => {
    // One attempt per provider: this is about the chain, not the retry policy.
    const factory = await factoryFor(standardApp(), { pipeline: { defaults: { maxAttempts: 1 } }, providers: { ollama: { script: [{ type: 'error', error: 'overloaded' }, { type: 'error', error: 'invalid-request' }] } } });
    const provider = await factory.createProvider();
    const r = await provider.complete(hello);
    expect(r.provider).toBe('claude');
    // An invalid request is the caller's problem: no fallback.
    await expect(provider.complete(hello)).rejects.toMatchObject({ code: 'INVALID_REQUEST', provider: 'ollama' });
  });

  it('streams fall back before the first chunk, never after it', async () => {
    const factory = await factoryFor(standardApp(), {
      pipeline: { defaults: { maxAttempts: 1 } },
      providers: { ollama: { script: [{ type: 'error', error: 'server' }, { type: 'cut', chunks: ['half'] }] } },
    });
    const provider = await factory.createProvider();
    const first = provider.streamComplete(hello);
    const text: string[] = [];
    for await (const c of first) text.push(c);
    expect(text.join('')).toBe('answer from claude');
    expect((await first.response).provider).toBe('claude');

    const second = provider.streamComplete(hello);
    await expect(second.collect()).rejects.toMatchObject({ code: 'INCOMPLETE_STREAM', partialText: 'half' });
  });

  it('when every provider fails at call time, NoProviderAvailableError lists each', async () => {
    const factory = await factoryFor(standardApp(), {
      pipeline: { defaults: { maxAttempts: 1 } },
      providers: { ollama: { script: [{ type: 'error', error: 'server' }] }, claude: { script: [{ type: 'error', error: 'quota' }] } },
    });
    const provider = await factory.createProvider();
    const err = (await provider.complete(hello).catch((e: unknown) => e)) as NoProviderAvailableError;
    expect(err.code).toBe('NO_PROVIDER_AVAILABLE');
    expect(err.attempts.map((a) => [a.provider, a.code])).toEqual([
      ['ollama', 'SERVER_ERROR'],
      ['claude', 'QUOTA_EXHAUSTED'],
    ]);
  });

  it('a provider that is not installed gives a clear error naming what is available', async () => {
    const factory = await factoryFor(standardApp(), {}, { LLM_FALLBACK_ENABLED: 'false' });
    const err = (await factory.createProvider('openai').catch((e: unknown) => e)) as NoProviderAvailableError;
    expect(err.attempts[0]!.reason).toMatch(/No plugin provides "openai" \(available: claude, ollama\)/);
    await expect(factory.createSingle('openai')).rejects.toSatisfy((e) => PluginLoadError.isInstance(e) && e.problem === 'unknown-provider');
  });

  it('a plugin that throws on import is reported, and the chain still answers', async () => {
    const dir = standardApp({ '@autoarr-llm/provider-broken': plugin('@autoarr-llm/provider-broken', 'broken', 'free', 'throw new Error("kaboom at import");') });
    const factory = await factoryFor(dir, {}, { LLM_FALLBACK_ORDER: 'broken,ollama' });
    const provider = await factory.createProvider();
    expect(provider.name).toBe('ollama');
    const record = factory.loadReport().find((r) => r.provider === 'broken');
    expect(record).toMatchObject({ status: 'failed' });
    expect(record!.reason).toMatch(/kaboom at import/);
  });

  it('a strict plugin that fails stops the host with the reason', async () => {
    const dir = standardApp({ '@autoarr-llm/provider-broken': plugin('@autoarr-llm/provider-broken', 'broken', 'free', 'throw new Error("kaboom");') });
    const factory = await factoryFor(dir, { plugins: [{ package: '@autoarr-llm/provider-broken', strict: true }] }, { LLM_FALLBACK_ORDER: 'broken,ollama' });
    await expect(factory.createProvider()).rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED', message: expect.stringMatching(/kaboom/) });
    const config = await loadConfig({ cwd: dir, env: {}, overrides: { plugins: [{ package: 'autoarr-llm-provider-nowhere', strict: true }] } });
    expect(() => new ProviderFactory({ config })).toThrow(/autoarr-llm-provider-nowhere.*not installed/);
  });

  it('new ProviderFactory() with no argument works from the environment and defaults, discovering from the current project', async () => {
    const dir = standardApp();
    const cwd = process.cwd();
    const saved = process.env['LLM_FALLBACK_ORDER'];
    process.chdir(dir);
    process.env['LLM_FALLBACK_ORDER'] = 'claude,ollama';
    try {
      const factory = new ProviderFactory();
      cleanups.push(() => void factory.dispose());
      expect(factory.config.configFile).toBeUndefined();
      expect(factory.config.appRoot).toBe(dir);
      expect(factory.providerNames()).toEqual(['claude', 'ollama']);
      expect(factory.plan().order).toEqual(['claude', 'ollama']);
      expect((await factory.createProvider()).name).toBeDefined();
    } finally {
      process.chdir(cwd);
      if (saved === undefined) delete process.env['LLM_FALLBACK_ORDER'];
      else process.env['LLM_FALLBACK_ORDER'] = saved;
    }
  });

  it('a strict plugin that fails to import stops the host even when another provider comes first', async () => {
    const dir = standardApp({ '@autoarr-llm/provider-broken': plugin('@autoarr-llm/provider-broken', 'broken', 'free', 'throw new Error("kaboom");') });
    const factory = await factoryFor(dir, { plugins: [{ package: '@autoarr-llm/provider-broken', strict: true }] }, { LLM_FALLBACK_ORDER: 'ollama,broken' });
    await expect(factory.createProvider()).rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED', message: expect.stringMatching(/kaboom/) });
    // Not strict: reported and skipped, the chain serves.
    const lenient = await factoryFor(dir, { plugins: ['@autoarr-llm/provider-broken'] }, { LLM_FALLBACK_ORDER: 'ollama,broken' });
    expect((await lenient.createProvider()).name).toBeDefined();
  });

  it('a private scope listed in plugins with strict: true but not allowlisted stops the host, naming allowScopes', async () => {
    const dir = standardApp({ '@autoarr-premium/provider-custom': plugin('@autoarr-premium/provider-custom', 'custom', 'premium') });
    const config = await loadConfig({ cwd: dir, env: {}, overrides: { plugins: [{ package: '@autoarr-premium/provider-custom', strict: true }] } });
    expect(() => new ProviderFactory({ config })).toThrow(/allowScopes/);
  });

  it('bad provider settings fail with ConfigValidationError naming the env var', async () => {
    const factory = await factoryFor(standardApp(), {}, { OLLAMA_AVAILABLE: 'perhaps' });
    const err = (await factory.createProvider().catch((e: unknown) => e)) as ConfigValidationError;
    expect(ConfigValidationError.isInstance(err)).toBe(true);
    expect(err.issues).toEqual([{ key: 'providers.ollama.available', source: 'env OLLAMA_AVAILABLE', message: 'expected true or false' }]);
  });

  it('premium: the premium chain custom → claude applies when the premium plugin is installed and licensed', async () => {
    const dir = standardApp({ '@autoarr-premium/provider-custom': plugin('@autoarr-premium/provider-custom', 'custom', 'premium') });
    const factory = await factoryFor(dir, { allowScopes: ['@autoarr-premium'] });
    expect(factory.plan().order).toEqual(['custom', 'claude']);
    expect((await factory.createProvider()).name).toBe('custom');

    const notAllowed = await factoryFor(dir);
    expect(notAllowed.plan().order).toEqual(['ollama', 'claude']);
  });

  it('premium without a valid license: the reason is reported and the free chain serves', async () => {
    const dir = standardApp({ '@autoarr-premium/provider-custom': plugin('@autoarr-premium/provider-custom', 'custom', 'premium') });
    const factory = await factoryFor(dir, { allowScopes: ['@autoarr-premium'], providers: { custom: { license: 'invalid' }, ollama: { available: false } } });
    const provider = await factory.createProvider();
    expect(provider.name).toBe('claude');
    const none = await factoryFor(dir, { allowScopes: ['@autoarr-premium'], providers: { custom: { license: 'invalid' }, ollama: { available: false }, claude: { available: false } } });
    const err = (await none.createProvider().catch((e: unknown) => e)) as NoProviderAvailableError;
    expect(err.attempts.map((a) => [a.provider, a.code ?? ''])).toEqual([
      ['custom', 'LICENSE_INVALID'],
      ['ollama', 'PROVIDER_UNAVAILABLE'],
      ['claude', 'PROVIDER_UNAVAILABLE'],
    ]);
    expect(err.attempts[0]!.reason).toMatch(/license expired/);
  });

  it('premium without a valid license, everything up: the local provider answers, not the paid one, and the plan says so', async () => {
    const dir = standardApp({ '@autoarr-premium/provider-custom': plugin('@autoarr-premium/provider-custom', 'custom', 'premium') });
    const factory = await factoryFor(dir, { allowScopes: ['@autoarr-premium'], providers: { custom: { license: 'invalid' } } });
    const plan = await factory.resolvePlan();
    expect(plan.order).toEqual(['custom', 'ollama', 'claude']);
    expect(plan.reason).toMatch(/free default chain.*custom unlicensed/);
    const provider = await factory.createProvider();
    expect(provider.chain).toEqual(['ollama', 'claude']);
    expect((await provider.complete(hello)).provider).toBe('ollama');
    // The synchronous plan now knows what resolvePlan learnt: one answer everywhere.
    expect(factory.plan().order).toEqual(plan.order);

    // An explicit order keeps its shape; the free chain moves up right after the unlicensed member.
    const ordered = await factoryFor(dir, { allowScopes: ['@autoarr-premium'], providers: { custom: { license: 'invalid' } } }, { LLM_FALLBACK_ORDER: 'custom,claude' });
    expect((await ordered.resolvePlan()).order).toEqual(['custom', 'ollama', 'claude']);
    // A licensed one keeps the premium chain.
    const licensed = await factoryFor(dir, { allowScopes: ['@autoarr-premium'] });
    expect((await licensed.resolvePlan()).order).toEqual(['custom', 'claude']);
  });

  it('registerProvider: a provider class, as in the seed, wins over a discovered package', async () => {
    class EchoProvider extends BaseLLMProvider {
      readonly name = 'ollama';
      constructor(readonly settings: { prefix?: string }) {
        super();
      }
      protected async doComplete(messages: Parameters<BaseLLMProvider['complete']>[0]): Promise<LLMResponse> {
        return { content: `${this.settings.prefix ?? ''}${String(messages[0]!.content)}`, model: 'echo', provider: this.name };
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
    const factory = await factoryFor(standardApp(), { providers: { ollama: { prefix: 'echo: ' } } });
    factory.registerProvider('ollama', EchoProvider);
    const provider = await factory.createProvider();
    expect((await provider.complete(hello)).content).toBe('echo: hello');
    expect(globalThis.__imported).toEqual([]);
    expect(factory.loadReport().find((r) => r.package === '@autoarr-llm/provider-ollama')?.status).toBe('duplicate');
  });

  it('dispose releases what the factory created', async () => {
    const factory = await factoryFor(standardApp());
    const provider = await factory.createProvider();
    const primary = provider.primary as unknown as { disposed: boolean };
    await factory.dispose();
    expect(primary.disposed).toBe(true);
  });
});

describe('createProvider()', () => {
  it('loads the config from cwd and answers; dispose disposes everything', async () => {
    const dir = standardApp();
    const provider = await createProvider(undefined, { cwd: dir, env: { LLM_PROVIDER: 'claude' } });
    expect((await provider.complete(hello)).provider).toBe('claude');
    expect(provider.loadReport().map((r) => [r.provider, r.status])).toEqual([
      ['claude', 'loaded'],
      ['ollama', 'discovered'],
    ]);
    await provider.dispose();
    expect((provider.primary as unknown as { disposed: boolean }).disposed).toBe(true);
  });
});
