import { startAnthropicStandIn, type AnthropicStandIn, closedPort, captureLogger } from '@autoarr-llm/testkit';
import type { ConformanceHarness } from '@autoarr-llm/testkit/conformance';
import { createClaude } from './claude-provider.js';
import type { ClaudeSettingsInput } from './claude-settings.js';

export const CANARY_KEY = 'sk-ant-canary-0123456789abcdefCANARY';



export interface ClaudeHarness extends ConformanceHarness {
  standIn: AnthropicStandIn;
  logs: string[];
}

/**
 * The conformance harness: the real SDK client against the Anthropic stand-in. `settings` override
 * the defaults (the conformance run pins API version 2023-06-01, the last that accepts temperature,
 * because the suite checks temperature pass-through).
 */
export async function claudeHarness(settings: ClaudeSettingsInput = {}): Promise<ClaudeHarness> {
  const standIn = await startAnthropicStandIn();
  const logger = captureLogger();
  const base: ClaudeSettingsInput = { apiKey: CANARY_KEY, baseUrl: standIn.url, model: 'claude-sonnet-5-5', ...settings };
  return {
    standIn,
    logs: logger.lines,
    defaultModel: 'claude-sonnet-5-5',
    canarySecret: CANARY_KEY,
    capturedLogs: () => logger.lines,
    createProvider: async () => createClaude(base, { logger, env: {} }),
    createUnreachableProvider: async () => createClaude({ ...base, baseUrl: `http://127.0.0.1:${await closedPort()}` }, { logger, env: {} }),
    arrange: (...scenarios) => standIn.arrange(...scenarios),
    lastRequest: () => standIn.lastRequest(),
    inFlight: () => standIn.inFlight(),
    close: () => standIn.close(),
  };
}

export { closedPort };

export { captureLogger };
