import type { ConformanceHarness } from './conformance/conformance-harness.js';
import { MockProvider, type MockProviderOptions } from './mock-provider.js';

/** A conformance harness around MockProvider (how core proves the suite itself). */
export function mockHarness(options: MockProviderOptions = {}): ConformanceHarness {
  const providers: MockProvider[] = [];
  const shared = { queue: [] as Parameters<MockProvider['enqueue']> };
  const make = (extra: MockProviderOptions = {}) => {
    const p = new MockProvider({ ...options, ...extra });
    providers.push(p);
    return p;
  };
  let main: MockProvider | undefined;
  return {
    defaultModel: options.model ?? 'mock-model',
    async createProvider() {
      const p = make();
      main ??= p;
      return p;
    },
    async createUnreachableProvider() {
      const p = make({ available: false });
      // An unreachable mock fails every call as unavailable.
      const { ProviderUnavailableError } = await import('@autoarr-llm/core');
      p.complete = async () => {
        throw new ProviderUnavailableError(`${p.name}: scripted as unreachable`, { provider: p.name });
      };
      return p;
    },
    arrange(...scenarios) {
      shared.queue.push(...scenarios);
      main?.enqueue(...shared.queue.splice(0));
    },
    lastRequest: () => main?.lastRequest(),
    inFlight: () => providers.reduce((n, p) => n + p.inFlight, 0),
    async close() {
      await Promise.all(providers.map((p) => p.dispose()));
    },
  };
}
