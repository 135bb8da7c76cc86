import { describe, expect, it } from 'vitest';
import type { ResolvedCallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import { ServerError } from '../errors/server-error.js';
import { silentLogger } from '../logging/create-console-logger.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';
import type { StreamEventIterator } from '../stream/create-llm-stream.js';
import { NEVER_ABORTED } from './call-abort-scope.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ResilientProvider } from './resilient-provider.js';

const hello: LLMMessage[] = [{ role: 'user', content: 'hello' }];

/** Streams one text chunk per scripted attempt, fails it, or waits until the attempt is cancelled. */
class Scripted extends BaseLLMProvider {
  readonly name = 'scripted';
  attempts = 0;
  constructor(readonly script: Array<'ok' | 'fail' | 'hang'>) {
    super();
  }
  protected doComplete(): Promise<LLMResponse> {
    throw new Error('not used');
  }
  protected async *doStream(_m: LLMMessage[], _o: ResolvedCallOptions, signal: AbortSignal): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
    const step = this.script[this.attempts++] ?? 'ok';
    if (step === 'fail') throw new ServerError('scripted: failed', { provider: this.name });
    if (step === 'hang') {
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    }
    yield { type: 'text', text: 'hi' };
    return { content: 'hi', model: 'm', provider: this.name };
  }
  protected async doHealthCheck() {
    return { status: 'ok' as const, reachable: true };
  }
  async getModels() {
    return [];
  }
}

function member(inner: Scripted, breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 60_000, probe: async () => true })) {
  return new ResilientProvider(inner, { policy: { maxAttempts: 3 }, retry: { baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1_000 }, breaker, logger: silentLogger });
}

async function drain(events: StreamEventIterator): Promise<string[]> {
  const text: string[] = [];
  for (let step = await events.next(); !step.done; step = await events.next()) if (step.value.type === 'text') text.push(step.value.text);
  return text;
}

describe('a pipeline member stream', () => {
  it('retries a first step that failed, then streams', async () => {
    const inner = new Scripted(['fail', 'ok']);
    expect(await drain(member(inner).streamEvents(hello, {}, NEVER_ABORTED))).toEqual(['hi']);
    expect(inner.attempts).toBe(2);
  });

  it('an open breaker rejects the first next(); it never throws', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000, probe: async () => false });
    breaker.recordFailure(new ServerError('down', { provider: 'scripted' }));
    const inner = new Scripted(['ok']);
    const events = member(inner, breaker).streamEvents(hello, {}, NEVER_ABORTED);
    let step: Promise<unknown> | undefined;
    expect(() => (step = events.next())).not.toThrow();
    await expect(step).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(inner.attempts).toBe(0);
  });

  it('the consumer leaving while the first step is on its way ends it without another attempt', async () => {
    const inner = new Scripted(['hang', 'ok']);
    const events = member(inner).streamEvents(hello, {}, NEVER_ABORTED);
    const first = events.next();
    await new Promise((r) => setImmediate(r));
    await events.return?.(undefined);
    await expect(first).rejects.toMatchObject({ code: 'ABORTED' });
    await new Promise((r) => setTimeout(r, 20));
    expect(inner.attempts).toBe(1);
  });
});
