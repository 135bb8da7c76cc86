import type { ConformanceHarness } from '@autoarr-llm/testkit/conformance';
import { createOpenAICompatible } from '../create-openai-compatible.js';
import type { OpenAICompatibleProvider } from '../openai-compatible-provider.js';
import type { OpenAICompatibleSettingsInput } from '../openai-compatible-settings.js';
import { STAND_IN_DEFAULT_MODEL, startOpenAICompatibleStandIn, type OpenAICompatibleStandIn, type OpenAICompatibleStandInOptions } from './openai-compatible-stand-in.js';
import { closedPort, captureLogger } from '@autoarr-llm/testkit';

/** An API key the provider holds in tests: it must never appear in an error, a log line or a printed form. */
export const CANARY_KEY = 'sk-canary-openai-compatible-0123456789CANARY';



export interface OpenAICompatibleHarness extends ConformanceHarness {
  standIn: OpenAICompatibleStandIn;
  logs: string[];
  /** A provider on the stand-in with these settings (disposed by `close`). */
  provider(settings?: OpenAICompatibleSettingsInput): OpenAICompatibleProvider;
}

/**
 * The conformance harness: our provider, with its real fetch, against the stand-in server, with an
 * API key the stand-in requires (so authentication is exercised on every request).
 */
export async function openAICompatibleHarness(options: OpenAICompatibleStandInOptions = {}): Promise<OpenAICompatibleHarness> {
  const standIn = await startOpenAICompatibleStandIn({ apiKey: CANARY_KEY, ...options });
  const logger = captureLogger();
  const created: OpenAICompatibleProvider[] = [];
  const provider = (settings: OpenAICompatibleSettingsInput = {}) => {
    // `env: {}`: the developer's own OPENAI_COMPATIBLE_* variables must not leak into tests.
    const p = createOpenAICompatible({ baseUrl: standIn.url, apiKey: CANARY_KEY, model: STAND_IN_DEFAULT_MODEL.id, ...settings }, { logger, env: {} });
    created.push(p);
    return p;
  };
  return {
    standIn,
    logs: logger.lines,
    provider,
    defaultModel: STAND_IN_DEFAULT_MODEL.id,
    canarySecret: CANARY_KEY,
    capturedLogs: () => logger.lines,
    createProvider: async () => provider(),
    createUnreachableProvider: async () => provider({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1` }),
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

export { captureLogger };
