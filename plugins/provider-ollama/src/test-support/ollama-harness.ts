import { OLLAMA_STAND_IN_DEFAULT_MODEL, startOllamaStandIn, type OllamaStandIn, type OllamaStandInOptions, closedPort } from '@autoarr-llm/testkit';
import type { ConformanceHarness } from '@autoarr-llm/testkit/conformance';
import { createOllama } from '../create-ollama.js';
import type { OllamaProvider } from '../ollama-provider.js';
import type { OllamaSettingsInput } from '../ollama-settings.js';


export interface OllamaHarness extends ConformanceHarness {
  standIn: OllamaStandIn;
  /** A provider on the stand-in with these settings (disposed by `close`). */
  provider(settings?: OllamaSettingsInput): OllamaProvider;
}

/** The conformance harness: the real `ollama` client, through our provider, against the stand-in daemon. */
export async function ollamaHarness(options: OllamaStandInOptions = {}): Promise<OllamaHarness> {
  const standIn = await startOllamaStandIn({ loaded: [OLLAMA_STAND_IN_DEFAULT_MODEL.name], ...options });
  const created: OllamaProvider[] = [];
  const provider = (settings: OllamaSettingsInput = {}) => {
    const p = createOllama({ baseUrl: standIn.url, model: OLLAMA_STAND_IN_DEFAULT_MODEL.name, ...settings });
    created.push(p);
    return p;
  };
  return {
    standIn,
    provider,
    defaultModel: OLLAMA_STAND_IN_DEFAULT_MODEL.name,
    createProvider: async () => provider(),
    createUnreachableProvider: async () => provider({ baseUrl: `http://127.0.0.1:${await closedPort()}` }),
    arrange: (...scenarios) => standIn.arrange(...scenarios),
    lastRequest: () => standIn.lastRequest(),
    inFlight: () => standIn.inFlight(),
    async close() {
      await Promise.all(created.map((p) => p.dispose()));
      await standIn.close();
    },
  };
}

export { closedPort };
