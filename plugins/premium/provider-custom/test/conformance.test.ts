import type { CallOptions, LLMMessage, LLMProvider } from '@autoarr-llm/core';
import type { NormalizedRequest, Scenario } from '@autoarr-llm/testkit';
import { describeProviderConformance } from '@autoarr-llm/testkit/conformance';
import { beforeEach } from 'vitest';
import { createCustomModel } from '../src/create-custom-model.js';
import type { CustomModelGeneration, CustomModelProvider } from '../src/custom-model-provider.js';
import { makeTestLicensing } from '../src/test-support/test-license.js';
import { makeModelDir, writeTinyModel } from '../src/test-support/tiny-model.js';

/**
 * Suite tests that cannot apply to a local random-weight model, and why. They are skipped by
 * name (reported as skipped), so the rest of the suite runs unchanged against real llama.cpp.
 */
const NOT_APPLICABLE: Record<string, string> = {
  'returns the text, model, provider name, usage and finish reason':
    'expects finishReason "stop" for a scripted answer; random weights never choose to end, so a local generation ends on maxTokens ("length")',
  'delivers chunks incrementally; their concatenation equals the final content': 'same: expects a natural "stop" end (streaming itself is tested in custom-model-provider.test.ts)',
  'gives the first chunk before the backend has finished': 'same: ends by expecting finishReason "stop" (the early first chunk is tested in custom-model-provider.test.ts)',
  'a stream cut after the first chunk is INCOMPLETE_STREAM with the partial text, never a clean end': 'no transport: an in-process generation cannot be cut like a connection',
  "a stream that ends cleanly without the backend's end marker is INCOMPLETE_STREAM with the partial text, never success": 'no wire protocol: an in-process generation has no end marker to leave out',
  'an error event mid-stream is INCOMPLETE_STREAM with the partial text': 'no wire protocol with in-band error events',
  'a failure before the first chunk is thrown as the typed error itself (so a chain can fall back)': 'scripts an HTTP 5xx; a local model has no server to fail',
  'returns tool calls with parsed input and finishReason "tool-calls"': 'random weights cannot be scripted to call get_weather(Paris), get_weather(Rome)',
  'assembles streamed tool calls into the final response': 'same: a random-weight model cannot be made to emit a specific tool call',
  'a malformed answer is MALFORMED_RESPONSE': 'no wire format to violate',
  'an unreachable backend: isAvailable false (never throws), healthCheck down with a reason':
    'the local "unreachable" case is a device that cannot load (CUDA asked for, none here); that is PROVIDER_UNAVAILABLE but deliberately not retryable (retrying cannot conjure a GPU), while the suite requires retryable: true. Everything else it checks is asserted in custom-model-provider.test.ts',
};

// 'stall' and 'hang' are produced for real: a generation long enough to outlast the deadline.
const LONG_GENERATION = 1_000_000;

beforeEach((ctx) => {
  const why = NOT_APPLICABLE[ctx.task.name];
  if (why) ctx.skip(`not applicable to a local model: ${why}`);
});

describeProviderConformance('custom (node-llama-cpp, tiny random-weight GGUF)', async () => {
  const { dir, cleanup } = await makeModelDir();
  const modelPath = await writeTinyModel(dir, 'Q8_0');
  const lic = makeTestLicensing();
  let last: CustomModelGeneration | undefined;
  let nextScenario: Scenario | undefined;
  const providers: CustomModelProvider[] = [];
  const settings = { modelPath, device: 'cpu' as const, threads: 1, sequences: 2, contextSize: 1024, maxTokens: 16, license: lic.issue(), cacheDir: dir };
  const make = async (over: Partial<typeof settings> | { device: 'cuda' } = {}) => {
    const p = await createCustomModel({ ...settings, ...over }, { licensePublicKey: lic.publicKey, onGenerate: (g) => (last = g) });
    providers.push(p);
    return p;
  };

  // The harness's "backend" is the model; arrange() can only choose how long it generates.
  const arranged = (p: CustomModelProvider): LLMProvider => {
    const optionsFor = (options: CallOptions | undefined): CallOptions | undefined => {
      const scenario = nextScenario;
      nextScenario = undefined;
      const long = scenario?.type === 'stall' || scenario?.type === 'hang';
      return long && options?.maxTokens === undefined ? { ...options, maxTokens: LONG_GENERATION } : options;
    };
    return {
      name: p.name,
      complete: (m: LLMMessage[], o?: CallOptions) => p.complete(m, optionsFor(o)),
      streamComplete: (m: LLMMessage[], o?: CallOptions) => p.streamComplete(m, optionsFor(o)),
      isAvailable: () => p.isAvailable(),
      healthCheck: () => p.healthCheck(),
      getModels: () => p.getModels(),
      dispose: () => p.dispose(),
    };
  };

  return {
    defaultModel: 'tiny-q8_0',
    scriptedText: false,
    errorKinds: [],
    createProvider: async () => arranged(await make()),
    createUnreachableProvider: () => make({ device: 'cuda' }),
    arrange: (...scenarios: Scenario[]) => {
      nextScenario = scenarios[0];
    },
    lastRequest: (): NormalizedRequest | undefined => {
      if (!last) return undefined;
      const system = last.history.flatMap((h) => (h.type === 'system' ? [String(h.text)] : []));
      return {
        model: last.model,
        system: system.length > 0 ? system.join('\n') : undefined,
        messages: last.history.flatMap((h) =>
          h.type === 'user' ? [{ role: 'user', text: h.text }] : h.type === 'model' && h.response.length > 0
            ? [{ role: 'assistant', text: h.response.map((r) => (typeof r === 'string' ? r : r.type === 'functionCall' ? JSON.stringify(r.result) : '')).join('') }]
            : [],
        ),
        temperature: last.temperature,
        maxTokens: last.maxTokens,
        stop: last.stop,
        stream: last.stream,
        tools: last.tools,
      };
    },
    inFlight: () => providers.reduce((n, p) => n + p.inFlight, 0),
    close: async () => {
      await Promise.all(providers.map((p) => p.dispose()));
      await cleanup();
    },
  };
});
