import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMResponse } from '../contract/response.js';
import { ProviderFactory } from '../factory/provider-factory.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';
import { tempApp } from '../test-support/temp-app.js';
import type { CallEvent } from './call-event.js';
import { RateLimiter } from './rate-limiter.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0)) await c();
});

/** Answers at once with its own name. */
function answering(name: string) {
  return class extends BaseLLMProvider {
    readonly name = name;
    protected async doComplete(messages: LLMMessage[]): Promise<LLMResponse> {
      return { content: String(messages[0]!.content), model: 'm', provider: this.name };
    }
    protected async *doStream(): AsyncGenerator<never, LLMResponse | undefined, void> {
      return { content: '', model: 'm', provider: this.name };
    }
    protected async doHealthCheck() {
      return { status: 'ok' as const, reachable: true };
    }
    async getModels() {
      return [];
    }
  };
}

describe('RateLimiter', () => {
  it('a queued caller counts everyone ahead of it, and fails at once when its turn comes after its deadline', async () => {
    vi.useFakeTimers();
    let now = 0;
    const limiter = new RateLimiter({ provider: 'p', requestsPerMinute: 5, now: () => now });
    for (let i = 0; i < 5; i++) await limiter.acquire(1, undefined, 20_000);
    const sixth = limiter.acquire(1, undefined, 20_000);
    // The 7th would go at 24 s: more than its 20 s.
    await expect(limiter.acquire(1, undefined, 20_000)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 24_000 });
    let admitted = false;
    void sixth.then(() => (admitted = true));
    now = 11_999;
    await vi.advanceTimersByTimeAsync(11_999);
    expect(admitted).toBe(false);
    now = 12_000;
    await vi.advanceTimersByTimeAsync(1);
    expect(admitted).toBe(true);
    // The refused 7th reserved nothing: the next turn is 12 s after the 6th.
    expect(limiter.waitMs(1)).toBe(12_000);
  });

  it('a waiting caller whose turn a 429 pushes past its deadline fails then and gives its place back', async () => {
    vi.useFakeTimers();
    let now = 0;
    const limiter = new RateLimiter({ provider: 'p', requestsPerMinute: 60, now: () => now });
    for (let i = 0; i < 60; i++) await limiter.acquire(1, undefined, 5_000);
    const waiting = limiter.acquire(1, undefined, 5_000).catch((e: unknown) => e);
    limiter.pause(10_000);
    now = 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await waiting).toMatchObject({ code: 'RATE_LIMITED' });
    now = 10_000;
    // Ten seconds refilled ten requests; the refused caller's place came back.
    expect(limiter.waitMs(1)).toBe(0);
  });
});

describe('a rate-limited chain member', () => {
  it('requestsPerMinute 5, 10 calls, 20 s timeout: calls that would outlast the deadline go to the next provider at once', async () => {
    // One fake clock for the limiter, the deadlines and the sleeps, from before the limiter exists.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
    const app = tempApp({ 'package.json': { name: 'app' } });
    cleanups.push(app.cleanup);
    const config = await loadConfig({ cwd: app.dir, env: {}, overrides: { fallback: { order: ['first', 'second'] }, pipeline: { providers: { first: { requestsPerMinute: 5 } } } } });
    const factory = new ProviderFactory({ config, discover: false });
    cleanups.push(() => factory.dispose());
    factory.registerProvider('first', answering('first'));
    factory.registerProvider('second', answering('second'));
    const chain = await factory.createProvider();
    const events: CallEvent[] = [];
    chain.onCall((e) => events.push(e));

    const answers: Array<string | undefined> = Array.from({ length: 10 });
    const calls = Array.from({ length: 10 }, (_, i) =>
      chain.complete([{ role: 'user', content: `q${i + 1}` }], { timeout: 20_000 }).then((r) => (answers[i] = r.provider)),
    );
    // No time passes: the first five and the last four are answered now.
    await vi.advanceTimersByTimeAsync(0);
    expect(answers).toEqual(['first', 'first', 'first', 'first', 'first', undefined, 'second', 'second', 'second', 'second']);
    const spilled = events.filter((e) => e.provider === 'second');
    expect(spilled).toHaveLength(4);
    for (const e of spilled) {
      expect(e.attempts.map((a) => [a.provider, a.outcome, a.errorCode])).toEqual([
        ['first', 'skipped', 'RATE_LIMITED'],
        ['second', 'success', undefined],
      ]);
    }
    // The 6th's turn comes 12 s on, well inside its 20 s: the first provider answers it.
    await vi.advanceTimersByTimeAsync(12_000);
    await Promise.all(calls);
    expect(answers[5]).toBe('first');
  });
});
