import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlmContainer } from './create-llm-container.js';
import { LLM_CONFIG, LLM_PROVIDER, LLM_PROVIDER_FACTORY } from './tokens.js';
import type { LLMProvider } from '../contract/llm-provider.js';
import { ProviderFactory } from '../factory/provider-factory.js';
import { tempApp } from '../test-support/temp-app.js';

// An application class as users write it: constructor injection by token, no emitDecoratorMetadata.
@injectable()
class Summariser {
  constructor(@inject(LLM_PROVIDER) private readonly llm: LLMProvider) {}
  async summarise(text: string): Promise<string> {
    return (await this.llm.complete([{ role: 'user', content: `Summarise: ${text}` }])).content;
  }
}

/** A minimal provider answering with a fixed text, recording what it was asked. */
function fixedProvider(name: string, answer: string) {
  const calls: string[] = [];
  const provider: LLMProvider = {
    name,
    async complete(messages) {
      calls.push(String(messages[0]!.content));
      return { content: answer, model: 'fixed', provider: name };
    },
    streamComplete() {
      throw new Error('not used');
    },
    isAvailable: async () => true,
    healthCheck: async () => ({ provider: name, status: 'ok', reachable: true, latencyMs: 0 }),
    getModels: async () => [],
    dispose: async () => undefined,
  };
  return { provider, calls };
}

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('createLlmContainer', () => {
  it('registers config, factory and the selected provider; an application class gets the provider injected', async () => {
    const app = tempApp({ 'package.json': { name: 'app' } });
    cleanups.push(app.cleanup);
    const mock = fixedProvider('ollama', 'short summary');
    const container = await createLlmContainer({ cwd: app.dir, env: {}, register: { ollama: () => mock.provider } });
    expect(container.resolve(LLM_CONFIG).appRoot).toBe(app.dir);
    expect(container.resolve(LLM_PROVIDER_FACTORY)).toBeInstanceOf(ProviderFactory);
    expect(container.resolve(LLM_PROVIDER).name).toBe('ollama');
    await expect(container.resolve(Summariser).summarise('long text')).resolves.toBe('short summary');
    expect(mock.calls).toEqual(['Summarise: long text']);
    await container.disposeLlm();
  });

  it('tests override the provider in a child container', async () => {
    const app = tempApp({ 'package.json': { name: 'app' } });
    cleanups.push(app.cleanup);
    const container = await createLlmContainer({ cwd: app.dir, env: {}, lazy: true });
    const child = container.createChildContainer();
    child.register(LLM_PROVIDER, { useValue: fixedProvider('mock', 'from the mock').provider });
    await expect(child.resolve(Summariser).summarise('x')).resolves.toBe('from the mock');
    expect(container.isRegistered(LLM_PROVIDER)).toBe(false);
  });

  it('with nothing installed, says exactly why no provider could be selected', async () => {
    const app = tempApp({ 'package.json': { name: 'app' } });
    cleanups.push(app.cleanup);
    await expect(createLlmContainer({ cwd: app.dir, env: {} })).rejects.toMatchObject({
      code: 'NO_PROVIDER_AVAILABLE',
      message: expect.stringMatching(/ollama: No plugin provides "ollama".*install @autoarr-llm\/provider-ollama/s),
    });
  });
});
