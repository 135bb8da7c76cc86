import { fileURLToPath } from 'node:url';
import { LLMError, type LLMMessage } from '@autoarr-llm/core';
import { getLlama, LlamaChat, LlamaLogLevel, type ChatHistoryItem, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomModel } from '../src/create-custom-model.js';
import type { CustomModelProvider } from '../src/custom-model-provider.js';
import { makeTestLicensing } from '../src/test-support/test-license.js';

// A real trained model (llama2.c TinyStories 260K, see fixtures/README.md): at temperature 0 its
// answers are deterministic, so the provider must produce exactly raw node-llama-cpp's tokens.
const modelPath = fileURLToPath(new URL('./fixtures/stories260K.gguf', import.meta.url));
const fixtureDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const lic = makeTestLicensing();
const prompt = 'Once upon a time';
const user: LLMMessage[] = [{ role: 'user', content: prompt }];
const history: ChatHistoryItem[] = [{ type: 'user', text: prompt }, { type: 'model', response: [] }];

let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let provider: CustomModelProvider;

async function raw(maxTokens: number, stream = false): Promise<{ text: string; chunks: string[]; outputTokens: number }> {
  const sequence = context.getSequence();
  const chat = new LlamaChat({ contextSequence: sequence, autoDisposeSequence: true });
  const chunks: string[] = [];
  try {
    const r = await chat.generateResponse(history, { maxTokens, temperature: 0, ...(stream ? { onTextChunk: (t: string) => chunks.push(t) } : {}) });
    return { text: r.response, chunks, outputTokens: sequence.tokenMeter.getState().usedOutputTokens };
  } finally {
    chat.dispose();
  }
}

async function caught(p: Promise<unknown>): Promise<LLMError> {
  const e = await p.then(() => undefined, (error: unknown) => error);
  expect(LLMError.isInstance(e), `expected a typed error, got ${String(e)}`).toBe(true);
  return e as LLMError;
}

beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error, progressLogs: false });
  model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  context = await model.createContext({ contextSize: 512, sequences: 1, threads: 1 });
  provider = await createCustomModel(
    { modelPath, allowedDirs: [fixtureDir], device: 'cpu', threads: 1, sequences: 2, contextSize: 512, license: lic.issue() },
    { licensePublicKey: lic.publicKey },
  );
  await provider.warmUp();
});
afterAll(async () => {
  await provider?.dispose();
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
});

describe('the provider on a real trained model (TinyStories 260K)', () => {
  it('complete at temperature 0 gives raw node-llama-cpp’s tokens exactly', async () => {
    const expected = await raw(40);
    expect(expected.text.length).toBeGreaterThan(20);
    const r = await provider.complete(user, { maxTokens: 40, temperature: 0 });
    expect(r.content).toBe(expected.text);
    expect(r.usage!.outputTokens).toBe(expected.outputTokens);
    expect(r.finishReason).toBe('length');
  });

  it('stream at temperature 0 gives the same chunks as raw node-llama-cpp', async () => {
    const expected = await raw(40, true);
    const chunks: string[] = [];
    const stream = provider.streamComplete(user, { maxTokens: 40, temperature: 0 });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.join('')).toBe(expected.chunks.join(''));
    expect(chunks.join('')).toBe(expected.text);
    expect((await stream.response).content).toBe(expected.text);
  });

  it('JSON-schema output parses and follows the schema', async () => {
    const schema = { type: 'object', properties: { happy: { type: 'boolean' }, colour: { enum: ['red', 'blue', 'green'] } }, required: ['happy', 'colour'], additionalProperties: false };
    const r = await provider.complete(user, { maxTokens: 60, temperature: 0, responseFormat: { type: 'json', schema } });
    const parsed = JSON.parse(r.content) as { happy: unknown; colour: unknown };
    expect(typeof parsed.happy).toBe('boolean');
    expect(['red', 'blue', 'green']).toContain(parsed.colour);
  });

  it('JSON cut short by maxTokens is a typed error, not invalid JSON returned as a success', async () => {
    const schema = { type: 'object', properties: { story: { type: 'string' } }, required: ['story'] };
    const e = await caught(provider.complete(user, { maxTokens: 4, temperature: 0, responseFormat: { type: 'json', schema } }));
    expect(e.code).toBe('MALFORMED_RESPONSE');
    expect(e.message).toMatch(/maxTokens/);
  });

  it('stops on a stop string and at maxTokens', async () => {
    const full = await raw(40);
    const cut = full.text.indexOf('.');
    expect(cut).toBeGreaterThan(0);
    const stopped = await provider.complete(user, { maxTokens: 40, temperature: 0, stop: ['.'] });
    expect(stopped.finishReason).toBe('stop-sequence');
    expect(stopped.content).toBe(full.text.slice(0, cut));
    const short = await provider.complete(user, { maxTokens: 3, temperature: 0 });
    expect(short).toMatchObject({ finishReason: 'length', usage: { outputTokens: 3 } });
  });

  it('reports a prefix reused from the context as cache reads and the rest of the prompt as input, as Claude does', async () => {
    const first = await provider.complete(user, { maxTokens: 5, temperature: 0 });
    const again = await provider.complete(user, { maxTokens: 5, temperature: 0 });
    const whole = (u: NonNullable<typeof first.usage>) => u.inputTokens + (u.cacheReadTokens ?? 0);
    expect(whole(first.usage!)).toBeGreaterThan(10);
    // The same prompt: the same size, most of it read back from the sequence this time.
    expect(whole(again.usage!)).toBe(whole(first.usage!));
    expect(again.usage!.cacheReadTokens).toBeGreaterThan(0);
    // Only what was evaluated again counts as input (none at all when the whole prompt was reused).
    expect(again.usage!.inputTokens).toBeLessThan(whole(first.usage!));
    expect(again.usage!.totalTokens).toBe(again.usage!.inputTokens + again.usage!.outputTokens);
  });

  it('abort mid-stream frees the sequence: the next calls run on both sequences', async () => {
    const controller = new AbortController();
    const stream = provider.streamComplete(user, { maxTokens: 200, temperature: 0, signal: controller.signal });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    controller.abort();
    await expect(it.next()).rejects.toThrow();
    await stream.response.catch(() => undefined);
    expect(provider.inFlight).toBe(0);
    const both = await Promise.all([provider.complete(user, { maxTokens: 5, temperature: 0 }), provider.complete(user, { maxTokens: 5, temperature: 0 })]);
    expect(both.map((r) => r.usage!.outputTokens)).toEqual([5, 5]);
    const health = await provider.healthCheck();
    expect(health.details).toMatchObject({ active: 0, queued: 0 });
  });

  it('parallel calls beyond the sequence count queue and all give the deterministic answer', async () => {
    const expected = (await raw(12)).text;
    const calls = Array.from({ length: 5 }, () => provider.complete(user, { maxTokens: 12, temperature: 0 }));
    const during = await provider.healthCheck();
    expect(during.details).toMatchObject({ sequences: 2 });
    expect((during.details!['active'] as number) + (during.details!['queued'] as number)).toBeGreaterThanOrEqual(3);
    expect(during.details!['queued']).toBeGreaterThanOrEqual(1);
    const results = await Promise.all(calls);
    expect(results.map((r) => r.content)).toEqual(Array(5).fill(expected));
  });
});
