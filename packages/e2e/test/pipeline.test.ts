import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, hello, pipelineRig, type PipelineRig } from './pipeline-harness.js';

let rig: PipelineRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const fastRetry = { retry: { baseDelayMs: 5, maxDelayMs: 20 } };

describe('one retry owner', () => {
  it('retries a retryable failure on the same provider, then succeeds; the event lists every attempt', async () => {
    rig = await pipelineRig({ pipeline: fastRetry });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'server' }, { type: 'error', error: 'overloaded' });
    const r = await rig.provider.complete(hello);
    expect(r.provider).toBe('ollama');
    expect(rig.mocks.ollama!.calls).toHaveLength(3);
    expect(rig.events[0]!.attempts.map((a) => [a.provider, a.attempt, a.outcome, a.errorCode ?? ''])).toEqual([
      ['ollama', 1, 'error', 'SERVER_ERROR'],
      ['ollama', 2, 'error', 'OVERLOADED'],
      ['ollama', 3, 'success', ''],
    ]);
  });

  it('after maxAttempts on one provider, the chain moves to the next', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { maxAttempts: 2 } } });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'server' }, { type: 'error', error: 'server' });
    const r = await rig.provider.complete(hello);
    expect(r.provider).toBe('claude');
    expect(rig.events[0]!.attempts.map((a) => `${a.provider}#${a.attempt}`)).toEqual(['ollama#1', 'ollama#2', 'claude#1']);
  });

  it('honours retry-after as the minimum wait', async () => {
    rig = await pipelineRig({ pipeline: fastRetry });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'rate-limit', retryAfterSeconds: 0.3 });
    const started = performance.now();
    const r = await rig.provider.complete(hello);
    expect(r.provider).toBe('ollama');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a retry-after longer than maxRetryAfterMs moves to the next provider instead of waiting', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, retry: { ...fastRetry.retry, maxRetryAfterMs: 1_000 } } });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'rate-limit', retryAfterSeconds: 60 });
    const r = await rig.provider.complete(hello);
    expect(r.provider).toBe('claude');
    expect(rig.events[0]!.attempts.map((a) => `${a.provider}#${a.attempt}:${a.errorCode ?? 'ok'}`)).toEqual(['ollama#1:RATE_LIMITED', 'claude#1:ok']);
  });

  it('an exhausted quota moves to the next provider at once, without retrying', async () => {
    rig = await pipelineRig({ pipeline: fastRetry });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'quota' });
    const r = await rig.provider.complete(hello);
    expect(r.provider).toBe('claude');
    expect(rig.mocks.ollama!.calls).toHaveLength(1);
  });

  it('errors no provider can fix are neither retried nor passed on', async () => {
    rig = await pipelineRig({ pipeline: fastRetry });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'invalid-request' });
    await expect(rig.provider.complete(hello)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(rig.mocks.ollama!.calls).toHaveLength(1);
    expect(rig.mocks.claude!.calls).toHaveLength(0);
  });
});

describe('a chain of one provider', () => {
  it('streams still retry before the first chunk, and a final failure is that provider\'s own typed error', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { maxAttempts: 2 } } }, { ollama: {} });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'server' });
    const stream = rig.provider.streamComplete(hello);
    const text: string[] = [];
    for await (const c of stream) text.push(c);
    expect(text.join('')).toBe('answer from ollama');
    expect(rig.events[0]!.attempts.map((a) => `${a.provider}#${a.attempt}:${a.errorCode ?? 'ok'}`)).toEqual(['ollama#1:SERVER_ERROR', 'ollama#2:ok']);

    rig.mocks.ollama!.enqueue({ type: 'error', error: 'server' }, { type: 'error', error: 'server' });
    const err = await errorOf(rig.provider.streamComplete(hello).collect());
    expect(err).toMatchObject({ code: 'SERVER_ERROR', provider: 'ollama' });
  });

  it("leaves the caller's options as they were (nothing attached, nothing changed)", async () => {
    rig = await pipelineRig({}, { ollama: {} });
    const options = { maxTokens: 32, temperature: 0 };
    await rig.provider.streamComplete(hello, options).collect();
    await rig.provider.complete(hello, options);
    expect(options).toEqual({ maxTokens: 32, temperature: 0 });
    expect(Object.getOwnPropertySymbols(options)).toEqual([]);
  });
});

describe('deadlines', () => {
  it('one overall deadline covers every retry and the whole chain', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, deadlineMs: 300 } });
    rig.mocks.ollama!.enqueue({ type: 'hang' });
    const err = await errorOf(rig.provider.complete(hello));
    expect(err).toMatchObject({ code: 'TIMEOUT', phase: 'total', timeoutMs: 300 });
    expect(err.message).toMatch(/ollama#1/);
  });

  it("the call's own timeout sets its overall deadline", async () => {
    rig = await pipelineRig({ pipeline: fastRetry });
    rig.mocks.ollama!.enqueue({ type: 'hang' });
    await expect(rig.provider.complete(hello, { timeout: 150 })).rejects.toMatchObject({ code: 'TIMEOUT', phase: 'total', timeoutMs: 150 });
  });

  it("an attempt's deadline ends that attempt only: the next attempt gets a fresh one", async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { attemptTimeoutMs: 150 } } });
    rig.mocks.ollama!.enqueue({ type: 'hang' });
    const r = await rig.provider.complete(hello);
    expect(r.provider).toBe('ollama');
    expect(rig.events[0]!.attempts.map((a) => a.errorCode ?? 'ok')).toEqual(['TIMEOUT', 'ok']);
  });

  it('a stream with no first chunk in time is retried (nothing was shown yet)', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { firstChunkTimeoutMs: 150 } } });
    rig.mocks.ollama!.enqueue({ type: 'hang' });
    const stream = rig.provider.streamComplete(hello);
    const text: string[] = [];
    for await (const c of stream) text.push(c);
    expect(text.join('')).toBe('answer from ollama');
    expect((await stream.response).provider).toBe('ollama');
  });

  it('every chunk restarts the idle deadline: a slow but steady stream outlives it, and its attempt counts as a success', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { idleTimeoutMs: 150 } } });
    rig.mocks.ollama!.enqueue({ type: 'text', chunks: ['a', 'b', 'c', 'd', 'e', 'f'], delayMs: 60 });
    const started = performance.now();
    const response = await rig.provider.streamComplete(hello).collect();
    expect(performance.now() - started).toBeGreaterThan(250);
    expect(response).toMatchObject({ content: 'abcdef', provider: 'ollama' });
    expect(rig.events[0]!.attempts.map((a) => `${a.provider}#${a.attempt}:${a.outcome}`)).toEqual(['ollama#1:success']);
    expect(rig.factory.ledger.totals().get(`ollama/${response.model}`)?.requests).toBe(1);
  });

  it('a stream that goes silent after its first chunk ends as INCOMPLETE_STREAM (idle deadline), never retried', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { idleTimeoutMs: 150 } } });
    rig.mocks.ollama!.enqueue({ type: 'stall', chunks: ['partial '] });
    const stream = rig.provider.streamComplete(hello);
    const err = await errorOf(stream.collect());
    expect(err).toMatchObject({ code: 'INCOMPLETE_STREAM', partialText: 'partial ' });
    expect(err.cause).toMatchObject({ code: 'TIMEOUT', phase: 'idle' });
    expect(rig.mocks.ollama!.calls).toHaveLength(1);
    expect(rig.mocks.claude!.calls).toHaveLength(0);
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, skips the provider instantly, and closes after a healthy probe', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { maxAttempts: 1 }, breaker: { failureThreshold: 2, cooldownMs: 300 } } });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'server' }, { type: 'error', error: 'server' });
    await rig.provider.complete(hello);
    await rig.provider.complete(hello);
    expect(rig.factory.breakerState('ollama')).toBe('open');

    const r = await rig.provider.complete(hello);
    expect(r.provider).toBe('claude');
    expect(rig.events[2]!.attempts[0]).toMatchObject({ provider: 'ollama', outcome: 'skipped', note: 'circuit open' });
    expect(rig.mocks.ollama!.calls).toHaveLength(2);

    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(rig.factory.breakerState('ollama')).toBe('half-open');
    const back = await rig.provider.complete(hello);
    expect(back.provider).toBe('ollama');
    expect(rig.factory.breakerState('ollama')).toBe('closed');
  });

  it('a failed half-open probe keeps the breaker open', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { maxAttempts: 1 }, breaker: { failureThreshold: 1, cooldownMs: 100 } } });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'overloaded' });
    await rig.provider.complete(hello);
    rig.mocks.ollama!.available = false;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await rig.provider.complete(hello)).provider).toBe('claude');
    expect(rig.factory.breakerState('ollama')).toBe('open');
  });

  it('caller errors and polite rate limits do not count toward the breaker', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, defaults: { maxAttempts: 1 }, breaker: { failureThreshold: 1, cooldownMs: 10_000 } } });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'invalid-request' }, { type: 'error', error: 'rate-limit' });
    await rig.provider.complete(hello).catch(() => undefined);
    await rig.provider.complete(hello);
    expect(rig.factory.breakerState('ollama')).toBe('closed');
  });
});

describe('rate limiting', () => {
  it('a wait longer than the call has left moves to the next provider', async () => {
    rig = await pipelineRig({ pipeline: { ...fastRetry, deadlineMs: 2_000, providers: { ollama: { requestsPerMinute: 2 } } } });
    await rig.provider.complete(hello);
    await rig.provider.complete(hello);
    const third = await rig.provider.complete(hello);
    expect(third.provider).toBe('claude');
    expect(rig.events[2]!.attempts.map((a) => [a.provider, a.outcome, a.errorCode])).toEqual([
      ['ollama', 'skipped', 'RATE_LIMITED'],
      ['claude', 'success', undefined],
    ]);
  });

  it('waiting callers respect their abort signal', async () => {
    rig = await pipelineRig({ pipeline: { providers: { ollama: { requestsPerMinute: 60 } } } }, { ollama: {} });
    for (let i = 0; i < 60; i++) await rig.provider.complete([{ role: 'user', content: `q${i}` }]);
    const controller = new AbortController();
    const pending = rig.provider.complete(hello, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('a stream waiting for the limiter, or for a retry, stops at once when its caller aborts', async () => {
    rig = await pipelineRig({ pipeline: { providers: { ollama: { requestsPerMinute: 60 } } } }, { ollama: {} });
    for (let i = 0; i < 60; i++) await rig.provider.complete([{ role: 'user', content: `q${i}` }]);
    const controller = new AbortController();
    const started = performance.now();
    const waiting = rig.provider.streamComplete(hello, { signal: controller.signal }).collect();
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    expect(performance.now() - started).toBeLessThan(900);
    await rig.close();

    rig = await pipelineRig({ pipeline: fastRetry });
    rig.mocks.ollama!.enqueue({ type: 'error', error: 'rate-limit', retryAfterSeconds: 1 });
    const second = new AbortController();
    const retried = performance.now();
    const backingOff = rig.provider.streamComplete(hello, { signal: second.signal }).collect();
    setTimeout(() => second.abort(), 50);
    await expect(backingOff).rejects.toMatchObject({ code: 'ABORTED' });
    expect(performance.now() - retried).toBeLessThan(900);
    expect(rig.mocks.ollama!.calls).toHaveLength(1);
  });
});

describe('cache', () => {
  const cacheOn = { pipeline: { cache: { enabled: true } } };

  it('serves a repeated deterministic call from the cache, and records and replays streams', async () => {
    rig = await pipelineRig(cacheOn);
    rig.mocks.ollama!.reply('one two three');
    const first = rig.provider.streamComplete(hello, { temperature: 0 });
    const live: string[] = [];
    for await (const c of first) live.push(c);
    const replay = rig.provider.streamComplete(hello, { temperature: 0 });
    const replayed: string[] = [];
    for await (const c of replay) replayed.push(c);
    expect(replayed).toEqual(live);
    expect(live.length).toBeGreaterThan(1);
    const again = await rig.provider.complete(hello, { temperature: 0 });
    expect(again.content).toBe('one two three');
    expect(rig.mocks.ollama!.calls).toHaveLength(1);
    expect(rig.events.map((e) => e.cached)).toEqual([false, true, true]);
  });

  it('per-call opt-out, and temperature > 0 is cached only when configured', async () => {
    rig = await pipelineRig(cacheOn);
    await rig.provider.complete(hello, { temperature: 0 });
    await rig.provider.complete(hello, { temperature: 0, cache: false });
    await rig.provider.complete(hello);
    await rig.provider.complete(hello);
    expect(rig.mocks.ollama!.calls).toHaveLength(4);
    await rig.close();
    rig = await pipelineRig({ pipeline: { cache: { enabled: true, nonZeroTemperature: true } } });
    await rig.provider.complete(hello);
    await rig.provider.complete(hello);
    expect(rig.mocks.ollama!.calls).toHaveLength(1);
  });

  it('the key is the normalised request: a different model, tools or format is a different entry', async () => {
    rig = await pipelineRig(cacheOn);
    await rig.provider.complete(hello, { temperature: 0 });
    await rig.provider.complete(hello, { temperature: 0, model: 'other' });
    await rig.provider.complete(hello, { temperature: 0, responseFormat: { type: 'json' } });
    await rig.provider.complete(hello, { temperature: 0, maxTokens: 5 });
    expect(rig.mocks.ollama!.calls).toHaveLength(4);
  });
});

describe('coalescing and batching', () => {
  it('identical calls in flight share one backend request', async () => {
    rig = await pipelineRig({}, { ollama: { latencyMs: 100 } });
    const results = await Promise.all([rig.provider.complete(hello), rig.provider.complete(hello), rig.provider.complete(hello)]);
    expect(results.map((r) => r.content)).toEqual(['answer from ollama', 'answer from ollama', 'answer from ollama']);
    expect(rig.mocks.ollama!.calls).toHaveLength(1);
    expect(rig.events.filter((e) => e.coalesced)).toHaveLength(2);
  });

  it('only identical calls are merged, and a finished call is never joined', async () => {
    rig = await pipelineRig({}, { ollama: { latencyMs: 80 } });
    const other = [{ role: 'user' as const, content: 'something else' }];
    const [a, b, c] = await Promise.all([rig.provider.complete(hello), rig.provider.complete(other), rig.provider.complete(hello), rig.provider.complete(hello, { temperature: 0.5 })]);
    expect([a, b, c].map((r) => r.provider)).toEqual(['ollama', 'ollama', 'ollama']);
    // hello, other and hello at another temperature: three backend calls; the second hello joined the first.
    expect(rig.mocks.ollama!.calls).toHaveLength(3);
    expect(rig.events.filter((e) => e.coalesced)).toHaveLength(1);
    await rig.provider.complete(hello);
    expect(rig.mocks.ollama!.calls).toHaveLength(4);
  });

  it('a call whose provider options the caller changes while it runs is keyed by what it asked', async () => {
    rig = await pipelineRig({}, { ollama: { latencyMs: 80 } });
    const shared = { tag: { meta: { user: 'first' } } };
    const a = rig.provider.complete(hello, { providerOptions: shared });
    await new Promise((r) => setTimeout(r, 10));
    shared.tag.meta.user = 'second';
    const b = rig.provider.complete(hello, { providerOptions: { tag: { meta: { user: 'second' } } } });
    await Promise.all([a, b]);
    // The second call asked something else than the first did: it is not merged into it.
    expect(rig.mocks.ollama!.calls).toHaveLength(2);
    expect(rig.events.filter((e) => e.coalesced)).toHaveLength(0);
  });

  it('one caller aborting leaves the others served; when all leave, the backend request is cancelled', async () => {
    rig = await pipelineRig({}, { ollama: { latencyMs: 200 } });
    const a = new AbortController();
    const pa = rig.provider.complete(hello, { signal: a.signal });
    const pb = rig.provider.complete(hello);
    a.abort();
    await expect(pa).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(pb).resolves.toMatchObject({ content: 'answer from ollama' });

    const c = new AbortController();
    const d = new AbortController();
    const pc = rig.provider.complete([{ role: 'user', content: 'other' }], { signal: c.signal });
    const pd = rig.provider.complete([{ role: 'user', content: 'other' }], { signal: d.signal });
    await new Promise((r) => setTimeout(r, 20));
    expect(rig.mocks.ollama!.inFlight).toBe(1);
    c.abort();
    d.abort();
    await Promise.allSettled([pc, pd]);
    await new Promise((r) => setTimeout(r, 20));
    expect(rig.mocks.ollama!.inFlight).toBe(0);
  });

  it('completeBatch keeps order, bounds concurrency and settles each request', async () => {
    rig = await pipelineRig({ pipeline: { defaults: { maxAttempts: 1 } } }, { ollama: { latencyMs: 30 } });
    let peak = 0;
    const mock = rig.mocks.ollama!;
    const timer = setInterval(() => (peak = Math.max(peak, mock.inFlight)), 2);
    mock.enqueue(...Array.from({ length: 4 }, (_, i) => ({ type: 'text' as const, chunks: [`r${i}`] })), { type: 'error', error: 'invalid-request' });
    const requests = Array.from({ length: 8 }, (_, i) => ({ messages: [{ role: 'user' as const, content: `q${i}` }] }));
    const results = await rig.provider.completeBatch(requests, { concurrency: 3 });
    clearInterval(timer);
    expect(results).toHaveLength(8);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });
});

describe('usage and cost ledger, events', () => {
  it('records tokens and cost per provider and model, reported for finished calls', async () => {
    rig = await pipelineRig({ pipeline: { prices: { 'ollama/mock-model': { inputPerMillion: 1, outputPerMillion: 2 } } } });
    rig.mocks.ollama!.enqueue({ type: 'text', chunks: ['x'], usage: { inputTokens: 1000, outputTokens: 500 } });
    await rig.provider.complete(hello);
    const totals = rig.provider.ledger.totals().get('ollama/mock-model')!;
    expect(totals).toMatchObject({ requests: 1, inputTokens: 1000, outputTokens: 500, estimatedTokens: 0 });
    expect(totals.cost).toBeCloseTo(0.002, 6);
    expect(rig.events[0]!.ledger).toMatchObject({ usageSource: 'reported', cost: expect.closeTo(0.002, 6) });
  });

  it('streams are costed too; a cut stream is recorded with estimated usage, never as zero', async () => {
    rig = await pipelineRig({ pipeline: { defaults: { maxAttempts: 1 }, prices: { ollama: { inputPerMillion: 1, outputPerMillion: 1 } } } });
    rig.mocks.ollama!.enqueue({ type: 'text', chunks: ['a', 'b'], usage: { inputTokens: 10, outputTokens: 2 } }, { type: 'cut', chunks: ['x'.repeat(400)] });
    await rig.provider.streamComplete(hello).collect();
    await rig.provider.streamComplete(hello).collect().catch(() => undefined);
    const [ok, cut] = rig.provider.ledger.entries();
    expect(ok).toMatchObject({ streamed: true, usageSource: 'reported', inputTokens: 10, outputTokens: 2 });
    expect(cut).toMatchObject({ streamed: true, usageSource: 'estimated', outputTokens: 100 });
    expect(cut!.cost).toBeGreaterThan(0);
    expect(rig.events[1]).toMatchObject({ outcome: 'error', errorCode: 'INCOMPLETE_STREAM', usage: { source: 'estimated' } });
    expect(rig.events[0]!.firstChunkMs).toBeGreaterThanOrEqual(0);
  });

  it('a throwing listener does not fail the call', async () => {
    rig = await pipelineRig();
    rig.provider.onCall(() => {
      throw new Error('listener bug');
    });
    await expect(rig.provider.complete(hello)).resolves.toMatchObject({ provider: 'ollama' });
  });
});
