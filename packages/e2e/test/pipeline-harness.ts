import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ProviderFactory, type AutoarrLlmConfigInput, type CallEvent, type PipelineProvider } from '@autoarr-llm/core';
import { MockProvider, type MockProviderOptions } from '@autoarr-llm/testkit';

export interface PipelineRig {
  factory: ProviderFactory;
  provider: PipelineProvider;
  mocks: Record<string, MockProvider>;
  events: CallEvent[];
  close(): Promise<void>;
}

/**
 * A factory whose providers are MockProviders registered in code (ollama, then claude), with the
 * given config: enough to drive the pipeline through every path without a backend.
 */
export async function pipelineRig(config: AutoarrLlmConfigInput = {}, mocks: Record<string, MockProviderOptions> = { ollama: {}, claude: {} }): Promise<PipelineRig> {
  const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-pipeline-'));
  const created: Record<string, MockProvider> = {};
  const factory = new ProviderFactory({ config: await loadConfig({ cwd: dir, env: {}, configFile: false, overrides: { fallback: { order: Object.keys(mocks) }, ...config } }) });
  for (const [name, options] of Object.entries(mocks)) {
    const mock = new MockProvider({ name, defaultResponse: `answer from ${name}`, ...options });
    created[name] = mock;
    factory.registerProvider(name, () => mock);
  }
  const provider = await factory.createProvider();
  const events: CallEvent[] = [];
  provider.onCall((e) => events.push(e));
  return {
    factory,
    provider,
    mocks: created,
    events,
    async close() {
      await provider.dispose();
      await factory.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const hello = [{ role: 'user' as const, content: 'hello' }];

export async function errorOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
