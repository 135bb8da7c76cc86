import { availableParallelism } from 'node:os';
import { LLMError, type LLMMessage } from '@autoarr-llm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestLicensing } from './test-support/test-license.js';
import { makeModelDir, writeTinyModel } from './test-support/tiny-model.js';
import { createCustomModel } from './create-custom-model.js';
import { defaultThreads } from './resolve-threads.js';
import type { CustomModelGeneration } from './custom-model-provider.js';
import type { CustomModelProvider } from './custom-model-provider.js';

// Real llama.cpp inference on a tiny random-weight model: assertions are about behaviour
// (streaming, limits, cancellation, grammar, concurrency), never about the (meaningless) text.
const lic = makeTestLicensing();
const user: LLMMessage[] = [{ role: 'user', content: 'Hello!' }];
let dir: string;
let cleanup: () => Promise<void>;
let modelPath: string;
let provider: CustomModelProvider;
const generations: CustomModelGeneration[] = [];

async function caught(p: Promise<unknown>): Promise<LLMError> {
  const e = await p.then(() => undefined, (error: unknown) => error);
  expect(LLMError.isInstance(e), `expected a typed error, got ${String(e)}`).toBe(true);
  return e as LLMError;
}

beforeAll(async () => {
  ({ dir, cleanup } = await makeModelDir());
  modelPath = await writeTinyModel(dir, 'Q8_0');
  provider = await createCustomModel(
    { modelPath, device: 'cpu', threads: 1, sequences: 2, contextSize: 2048, license: lic.issue(), cacheDir: dir },
    { licensePublicKey: lic.publicKey, onGenerate: (g) => generations.push(g) },
  );
});
afterAll(async () => {
  await provider?.dispose();
  await cleanup();
});

describe('CustomModelProvider (real llama.cpp)', () => {
  it('loads lazily: health before warm-up says not loaded, after it reports device, memory and load time', async () => {
    const cold = await provider.healthCheck();
    expect(cold).toMatchObject({ status: 'ok', model: { id: 'tiny-q8_0', present: true, loaded: false } });
    await provider.warmUp();
    const warm = await provider.healthCheck();
    expect(warm.model).toEqual({ id: 'tiny-q8_0', present: true, loaded: true });
    expect(warm.details).toMatchObject({ device: 'cpu', gpuLayers: 0, quantization: '8bit', tensorType: 'Q8_0', sequences: 2, threads: 1 });
    expect(warm.details!['loadTimeMs']).toBeGreaterThan(0);
    expect((warm.details!['ram'] as { totalBytes: number }).totalBytes).toBeGreaterThan(0);
    await expect(provider.isAvailable()).resolves.toBe(true);
  });

  it('respects maxTokens (seen in usage) and reports a length finish', async () => {
    const r = await provider.complete(user, { maxTokens: 7, temperature: 0.8 });
    expect(r.finishReason).toBe('length');
    expect(r.usage).toMatchObject({ outputTokens: 7, source: 'reported' });
    expect(r.usage!.inputTokens).toBeGreaterThan(0);
    expect(r.model).toBe('tiny-q8_0');
  });

  it('streams chunks as they are generated: the first arrives while generation still runs', async () => {
    const stream = provider.streamComplete(user, { maxTokens: 200 });
    const it = stream[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(provider.inFlight).toBe(1);
    const chunks = [first.value as string];
    for (let n = await it.next(); !n.done; n = await it.next()) chunks.push(n.value);
    const r = await stream.response;
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join('')).toBe(r.content);
    expect(r.usage!.outputTokens).toBeLessThanOrEqual(200);
    expect(provider.inFlight).toBe(0);
  });

  it('stops on a stop string with finishReason stop-sequence, without the stop text', async () => {
    // Random weights emit spaces between pieces all the time, so " " ends generation quickly.
    const r = await provider.complete(user, { maxTokens: 200, stop: [' '] });
    expect(r.finishReason).toBe('stop-sequence');
    expect(r.content).not.toContain(' ');
    expect(r.usage!.outputTokens).toBeLessThan(200);
  });

  it('an abort stops generation at once, frees the sequence, and the next call works', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const stream = provider.streamComplete(user, { maxTokens: 100_000, signal: controller.signal });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    controller.abort();
    const err = await caught(it.next());
    expect(err.code).toBe('ABORTED');
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect.poll(() => provider.inFlight).toBe(0);
    const health = await provider.healthCheck();
    expect(health.details).toMatchObject({ active: 0, queued: 0 });
    const next = await provider.complete(user, { maxTokens: 3 });
    expect(next.usage!.outputTokens).toBe(3);
  });

  it('a JSON schema response format is enforced by a grammar', async () => {
    const schema = { type: 'object', properties: { approved: { type: 'boolean' }, tier: { enum: ['free', 'premium'] }, kind: { const: 'audit' } }, required: ['approved', 'tier', 'kind'] };
    for (const seed of [1, 2, 3]) {
      const r = await provider.complete(user, { responseFormat: { type: 'json', schema }, maxTokens: 60, providerOptions: { custom: { seed } } });
      const parsed = JSON.parse(r.content) as Record<string, unknown>;
      expect(typeof parsed['approved']).toBe('boolean');
      expect(['free', 'premium']).toContain(parsed['tier']);
      expect(parsed['kind']).toBe('audit');
      expect(r.finishReason).toBe('stop');
    }
  });

  it('6 concurrent requests on 2 sequences all succeed through the queue (never "No sequences left")', async () => {
    const all = Array.from({ length: 6 }, (_, i) => provider.complete([{ role: 'user', content: `request ${i}` }], { maxTokens: 12 }));
    await expect.poll(() => provider.inFlight, { timeout: 1000 }).toBe(6);
    const results = await Promise.all(all);
    for (const r of results) expect(r.usage!.outputTokens).toBe(12);
    expect(provider.inFlight).toBe(0);
  });

  it('a queued request aborted while waiting leaves the queue at once', async () => {
    const busy = [provider.complete(user, { maxTokens: 400 }), provider.complete(user, { maxTokens: 400 })];
    const controller = new AbortController();
    const waiting = provider.complete(user, { maxTokens: 5, signal: controller.signal });
    await expect.poll(async () => (await provider.healthCheck()).details?.['queued']).toBe(1);
    controller.abort();
    expect((await caught(waiting)).code).toBe('ABORTED');
    await Promise.all(busy);
  });

  it('sends multi-turn history, tools and options as structured chat history (not glued text)', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { enum: ['Paris', 'Rome'] } }, required: ['city'] } }];
    const r = await provider.complete(
      [
        { role: 'system', content: 'You audit configurations.' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: { sunny: true } }] },
        { role: 'user', content: 'third?' },
      ],
      { tools, maxTokens: 8, temperature: 0.2, stop: ['END'] },
    );
    expect(['length', 'tool-calls', 'stop']).toContain(r.finishReason);
    const g = generations.at(-1)!;
    expect(g).toMatchObject({ temperature: 0.2, maxTokens: 8, stop: ['END'], tools: ['get_weather'], stream: false });
    expect(g.history).toEqual([
      { type: 'system', text: 'You audit configurations.' },
      { type: 'user', text: 'first' },
      { type: 'model', response: [{ type: 'functionCall', name: 'get_weather', params: { city: 'Paris' }, result: { sunny: true } }] },
      { type: 'user', text: 'third?' },
      { type: 'model', response: [] },
    ]);
  });

  it('refuses what a local text model cannot do with typed errors', async () => {
    const tools = [{ name: 't', inputSchema: { type: 'object' } }];
    expect((await caught(provider.complete(user, { tools, toolChoice: 'required' }))).code).toBe('UNSUPPORTED_FEATURE');
    expect((await caught(provider.complete(user, { tools, responseFormat: { type: 'json' } }))).code).toBe('UNSUPPORTED_FEATURE');
    expect((await caught(provider.complete([{ role: 'user', content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'AAAA' } }] }]))).code).toBe('UNSUPPORTED_FEATURE');
    const e = await caught(provider.complete(user, { model: 'some-other-model' }));
    expect(e.code).toBe('MODEL_NOT_FOUND');
  });

  it('getModels reports the model with context size and quantization read from the file', async () => {
    const [m] = await provider.getModels();
    expect(m).toMatchObject({ id: 'tiny-q8_0', provider: 'custom', contextLength: 2048, capabilities: { streaming: true, tools: true, vision: false, json: true } });
    expect(m!.details).toMatchObject({ quantization: '8bit', tensorType: 'Q8_0', selected: true, loaded: true, contextSize: 2048 });
  });
});

describe('devices, threads and disposal', () => {
  it('asking for CUDA on a machine without it is PROVIDER_UNAVAILABLE saying what to set', async () => {
    const p = await createCustomModel({ modelPath, device: 'cuda', license: lic.issue(), threads: 1 }, { licensePublicKey: lic.publicKey });
    try {
      await expect(p.isAvailable()).resolves.toBe(false);
      const report = await p.healthCheck();
      expect(report).toMatchObject({ status: 'down', reason: expect.stringMatching(/no cuda backend/) });
      const e = await caught(p.complete(user, { maxTokens: 2 }));
      expect(e.code).toBe('PROVIDER_UNAVAILABLE');
      expect(e.retryable).toBe(false);
      expect(e.message).toMatch(/CUSTOM_MODEL_DEVICE=cuda.*CUSTOM_MODEL_DEVICE=auto/);
    } finally {
      await p.dispose();
    }
  });

  it('threads default to half the available cores (at least one) and never exceed them', async () => {
    const p = await createCustomModel({ modelPath, device: 'cpu', license: lic.issue(), threads: availableParallelism() + 8 }, { licensePublicKey: lic.publicKey });
    const q = await createCustomModel({ modelPath, device: 'cpu', license: lic.issue() }, { licensePublicKey: lic.publicKey });
    try {
      expect((await p.healthCheck()).details).toMatchObject({ threads: availableParallelism() });
      expect((await q.healthCheck()).details).toMatchObject({ threads: Math.max(1, Math.floor(availableParallelism() / 2)) });
      expect([1, 2, 8, 16].map((n) => defaultThreads(n))).toEqual([1, 1, 4, 8]);
    } finally {
      await p.dispose();
      await q.dispose();
    }
  });

  it('dispose ends running generations, frees the model, and can be called twice', async () => {
    const p = await createCustomModel({ modelPath, device: 'cpu', license: lic.issue(), threads: 1 }, { licensePublicKey: lic.publicKey });
    const running = p.complete(user, { maxTokens: 100_000 });
    await expect.poll(() => p.inFlight).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    const settled = caught(running);
    await p.dispose();
    const e = await settled;
    expect(e.code).toBe('PROVIDER_UNAVAILABLE');
    expect(p.inFlight).toBe(0);
    await expect(p.dispose()).resolves.toBeUndefined();
  });
});
