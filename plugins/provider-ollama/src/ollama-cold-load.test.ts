import { afterEach, describe, expect, it } from 'vitest';
import { ollamaHarness, type OllamaHarness } from './test-support/ollama-harness.js';

const user = [{ role: 'user' as const, content: 'hello' }];

describe('cold is not down', () => {
  let h: OllamaHarness;
  afterEach(() => h?.close());

  it('a cold load longer than the answer timeout still succeeds: it gets the model-load deadline', async () => {
    h = await ollamaHarness({ loaded: [], coldLoadMs: 400 });
    h.arrange({ type: 'text', chunks: ['warm now'] });
    const r = await h.provider({ timeout: 0.15, modelLoadTimeout: 5 }).complete(user);
    expect(r.content).toBe('warm now');
    expect(h.standIn.state.loaded.has('qwen2.5:7b')).toBe(true);
  });

  it('a streamed cold load longer than the first-chunk timeout still succeeds', async () => {
    h = await ollamaHarness({ loaded: [], coldLoadMs: 400 });
    h.arrange({ type: 'text', chunks: ['a', 'b'] });
    await expect(h.provider({ timeout: 0.15, modelLoadTimeout: 5 }).streamComplete(user).collect()).resolves.toMatchObject({ content: 'ab' });
  });

  it('a cold load past the model-load timeout is MODEL_LOADING (retryable), not an outage', async () => {
    h = await ollamaHarness({ loaded: [], coldLoadMs: 1_500 });
    const err = await h.provider({ modelLoadTimeout: 0.2 }).streamComplete(user).collect().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MODEL_LOADING', retryable: true, model: 'qwen2.5:7b' });
    expect((err as Error).message).toMatch(/still loading/);
    expect((err as { cause?: unknown }).cause).toMatchObject({ code: 'TIMEOUT', phase: 'model-load' });
  });

  it("the call's own deadline during a cold load is TIMEOUT with phase model-load", async () => {
    h = await ollamaHarness({ loaded: [], coldLoadMs: 1_500 });
    const err = await h.provider().complete(user, { timeout: 200 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT', phase: 'model-load', retryable: true });
  });

  it('a warm model that stops answering hits the normal timeout (phase idle / first-chunk), not model-load', async () => {
    h = await ollamaHarness();
    h.arrange({ type: 'stall', chunks: ['so far'] }, { type: 'hang' });
    const provider = h.provider({ timeout: 0.2, modelLoadTimeout: 60 });
    const stream = provider.streamComplete(user);
    const err = await stream.collect().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INCOMPLETE_STREAM', partialText: 'so far' });
    expect((err as { cause?: unknown }).cause).toMatchObject({ code: 'TIMEOUT', phase: 'idle' });
    await expect(provider.streamComplete(user).collect()).rejects.toMatchObject({ code: 'TIMEOUT', phase: 'first-chunk' });
  });

  it('an unreachable daemon is PROVIDER_UNAVAILABLE at once, whatever the model-load timeout', async () => {
    h = await ollamaHarness();
    const down = await h.createUnreachableProvider!();
    const started = Date.now();
    await expect(down.complete(user)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, message: expect.stringMatching(/ECONNREFUSED/) });
    expect(Date.now() - started).toBeLessThan(2_000);
    await down.dispose();
  });

  it('warmUp loads the model with an empty chat and reports when it already was loaded', async () => {
    h = await ollamaHarness({ loaded: [], coldLoadMs: 150 });
    const provider = h.provider({ keepAlive: '30m' });
    const first = await provider.warmUp();
    expect(first).toMatchObject({ model: 'qwen2.5:7b', alreadyLoaded: false });
    expect(first.loadMs).toBeGreaterThanOrEqual(140);
    expect(h.standIn.requests.find((r) => r.path === '/api/chat')?.body).toMatchObject({ model: 'qwen2.5:7b', messages: [], keep_alive: '30m', stream: false });
    await expect(provider.warmUp()).resolves.toMatchObject({ alreadyLoaded: true });
    expect((await provider.healthCheck()).model).toMatchObject({ present: true, loaded: true });
  });

  it('warmUp past the model-load timeout is MODEL_LOADING', async () => {
    h = await ollamaHarness({ loaded: [], coldLoadMs: 1_500 });
    await expect(h.provider({ modelLoadTimeout: 0.2 }).warmUp()).rejects.toMatchObject({ code: 'MODEL_LOADING' });
  });
});
