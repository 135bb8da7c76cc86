import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import type { CallOptions } from '../contract/call-options.js';
import type { LLMMessage } from '../contract/message.js';
import type { LLMResponse } from '../contract/response.js';
import type { StreamEvent } from '../contract/stream-event.js';
import { StructuredOutputError } from '../errors/structured-output-error.js';
import { BaseLLMProvider } from '../provider/base-llm-provider.js';
import { parseStructuredOutput } from '../provider/parse-structured-output.js';
import { tempApp } from '../test-support/temp-app.js';
import type { CallEvent } from '../pipeline/call-event.js';
import { ProviderFactory } from './provider-factory.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const ANSWER = 'Here you go: {"recommendations": [}';
const schema = { type: 'object', properties: { recommendations: { type: 'array' } }, required: ['recommendations'] };

/** Answers `text` and checks it with core's structured-output check, as the official providers do. */
function answering(name: string, text: string, calls: string[]) {
  return class extends BaseLLMProvider {
    readonly name = name;
    protected async doComplete(_m: LLMMessage[], options: CallOptions): Promise<LLMResponse> {
      calls.push(name);
      if (options.responseFormat?.type === 'json') parseStructuredOutput(text, options.responseFormat.schema, name, 'm');
      return { content: text, model: 'm', provider: this.name };
    }
    protected async *doStream(_m: LLMMessage[], options: CallOptions): AsyncGenerator<StreamEvent, LLMResponse | undefined, void> {
      calls.push(name);
      yield { type: 'text', text };
      if (options.responseFormat?.type === 'json') parseStructuredOutput(text, options.responseFormat.schema, name, 'm');
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

describe('a structured-output failure through the chain', () => {
  it('is one StructuredOutputError with the raw answer: one request, no retry, no fallback, no breaker count', async () => {
    const app = tempApp({ 'package.json': { name: 'app' } });
    cleanups.push(app.cleanup);
    const config = await loadConfig({ cwd: app.dir, env: {}, overrides: { fallback: { order: ['paid', 'other'] }, pipeline: { retry: { baseDelayMs: 1, maxDelayMs: 2 }, breaker: { failureThreshold: 2 } } } });
    const factory = new ProviderFactory({ config, discover: false });
    cleanups.push(() => factory.dispose());
    const calls: string[] = [];
    factory.registerProvider('paid', answering('paid', ANSWER, calls));
    factory.registerProvider('other', answering('other', '{"recommendations": []}', calls));
    const chain = await factory.createProvider();
    const events: CallEvent[] = [];
    chain.onCall((e) => events.push(e));
    const asked = { responseFormat: { type: 'json' as const, schema } };

    const error = await chain.complete([{ role: 'user', content: 'audit' }], asked).catch((e: unknown) => e);
    expect(StructuredOutputError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'STRUCTURED_OUTPUT_INVALID', provider: 'paid', rawText: ANSWER, retryable: false });
    expect(calls).toEqual(['paid']);
    expect(events[0]!.attempts.map((a) => [a.provider, a.errorCode])).toEqual([['paid', 'STRUCTURED_OUTPUT_INVALID']]);

    const streamed = await chain.streamComplete([{ role: 'user', content: 'audit' }], asked).collect().catch((e: unknown) => e);
    expect(streamed).toMatchObject({ code: 'STRUCTURED_OUTPUT_INVALID', rawText: ANSWER });
    expect(calls).toEqual(['paid', 'paid']);
    // Two in a row would open a threshold-2 breaker if they counted as outages.
    expect(factory.breakerState('paid')).toBe('closed');
  });
});
