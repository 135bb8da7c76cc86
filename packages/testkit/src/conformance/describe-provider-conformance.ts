import { inspect } from 'node:util';
import { LLMError, type LLMProvider, type LLMResponse } from '@autoarr-llm/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_ERROR } from '../error-for-kind.js';
import type { ErrorKind } from '../scenario.js';
import type { ConformanceHarness } from './conformance-harness.js';

const ALL_KINDS = Object.keys(EXPECTED_ERROR) as ErrorKind[];

async function caught(promise: Promise<unknown>): Promise<LLMError> {
  try {
    await promise;
  } catch (error) {
    expect(LLMError.isInstance(error), `expected a typed LLMError, got ${inspect(error)}`).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

async function consume(provider: LLMProvider, ...args: Parameters<LLMProvider['streamComplete']>): Promise<{ chunks: string[]; response: LLMResponse }> {
  const stream = provider.streamComplete(...args);
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { chunks, response: await stream.response };
}

/** After a provider refused a call before sending it, the scenario arranged for it is still queued: use it up. */
async function drain(provider: LLMProvider): Promise<void> {
  await provider.complete([{ role: 'user', content: 'drain' }], { maxTokens: 16 }).catch(() => undefined);
}

async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * The provider conformance suite: every provider plugin calls this with a harness, then adds its
 * own tests. It checks completion, streaming, usage, tools, cancellation, availability, health,
 * models, the typed error for every backend failure, cut streams, and secret hygiene.
 */
export function describeProviderConformance(name: string, makeHarness: () => Promise<ConformanceHarness>): void {
  describe(`provider conformance: ${name}`, () => {
    let h: ConformanceHarness;
    let provider: LLMProvider;
    const user = [{ role: 'user' as const, content: 'Say hello' }];

    beforeAll(async () => {
      h = await makeHarness();
      provider = await h.createProvider();
    });
    afterAll(async () => {
      await provider?.dispose();
      await h?.close();
    });
    afterEach(async () => {
      // No test leaves a request running on the backend.
      await eventually(() => h.inFlight() === 0);
    });

    describe('complete', () => {
      it('returns the text, model, provider name, usage and finish reason', async () => {
        h.arrange({ type: 'text', chunks: ['Hello', ', world'], usage: { inputTokens: 12, outputTokens: 4 } });
        const r = await provider.complete(user);
        if (h.scriptedText !== false) expect(r.content).toBe('Hello, world');
        expect(r.provider).toBe(provider.name);
        expect(r.model).toBeTruthy();
        expect(r.finishReason).toBe('stop');
        expect(r.usage).toBeDefined();
        expect(r.usage!.totalTokens).toBe(r.usage!.inputTokens + r.usage!.outputTokens);
        if (h.scriptedText !== false) expect(r.usage).toMatchObject({ inputTokens: 12, outputTokens: 4, source: 'reported' });
      });

      it('sends the system message, temperature, maxTokens, stop sequences and model', async () => {
        h.arrange({ type: 'text', chunks: ['ok'] });
        await provider.complete(
          [
            { role: 'system', content: 'You audit configurations.' },
            { role: 'user', content: 'Check this' },
          ],
          { temperature: 0.3, maxTokens: 64, stop: ['END'], model: h.defaultModel },
        );
        const req = h.lastRequest();
        expect(req).toBeDefined();
        expect(req!.system).toContain('You audit configurations.');
        expect(req!.messages.at(-1)).toMatchObject({ role: 'user', text: 'Check this' });
        if (h.sampling === false) expect(req!.temperature).toBeUndefined();
        else expect(req!.temperature).toBeCloseTo(0.3);
        expect(req!.maxTokens).toBe(64);
        expect(req!.stop).toEqual(['END']);
        expect(req!.model).toBe(h.defaultModel);
        expect(req!.stream).toBe(false);
      });

      it('uses the default temperature 0.7 when none is given (none at all where the API rejects sampling)', async () => {
        h.arrange({ type: 'text', chunks: ['ok'] });
        await provider.complete(user);
        if (h.sampling === false) expect(h.lastRequest()!.temperature).toBeUndefined();
        else expect(h.lastRequest()!.temperature).toBeCloseTo(0.7);
      });

      it('maps a length limit to finishReason "length"', async () => {
        h.arrange({ type: 'text', chunks: ['trunc'], finishReason: 'length' });
        const r = await provider.complete(user, { maxTokens: 1 });
        expect(r.finishReason).toBe('length');
      });

      it('keeps a multi-turn history in order', async () => {
        h.arrange({ type: 'text', chunks: ['third'] });
        await provider.complete([
          { role: 'user', content: 'first' },
          { role: 'assistant', content: 'second' },
          { role: 'user', content: 'third?' },
        ]);
        expect(h.lastRequest()!.messages.map((m) => `${m.role}:${m.text}`)).toEqual(['user:first', 'assistant:second', 'user:third?']);
      });

      it('rejects invalid input with INVALID_REQUEST naming the field, before any request', async () => {
        const before = h.lastRequest();
        const err = await caught(provider.complete([], {}));
        expect(err.code).toBe('INVALID_REQUEST');
        expect(err.message).toMatch(/messages/);
        const err2 = await caught(provider.complete(user, { temperature: 7 }));
        expect(err2.message).toMatch(/temperature/);
        expect(h.lastRequest()).toEqual(before);
      });
    });

    describe('stream', () => {
      it('delivers chunks incrementally; their concatenation equals the final content', async () => {
        h.arrange({ type: 'text', chunks: ['Hel', 'lo ', 'there'], usage: { inputTokens: 5, outputTokens: 3 } });
        const { chunks, response } = await consume(provider, user);
        expect(chunks.length).toBeGreaterThanOrEqual(h.scriptedText === false ? 1 : 2);
        expect(chunks.join('')).toBe(response.content);
        if (h.scriptedText !== false) expect(response.content).toBe('Hello there');
        expect(response.finishReason).toBe('stop');
        expect(response.usage!.totalTokens).toBe(response.usage!.inputTokens + response.usage!.outputTokens);
        expect(h.lastRequest()!.stream).toBe(true);
      });

      it('gives the first chunk before the backend has finished', async () => {
        h.arrange({ type: 'text', chunks: ['first', ' second', ' third'], delayMs: 150 });
        const stream = provider.streamComplete(user);
        const it = stream[Symbol.asyncIterator]();
        const first = await it.next();
        expect(first.done).toBe(false);
        let settled = false;
        void stream.response.then(() => (settled = true), () => (settled = true));
        await new Promise((r) => setImmediate(r));
        expect(settled).toBe(false);
        while (!(await it.next()).done) {
          // drain
        }
        await expect(stream.response).resolves.toMatchObject({ finishReason: 'stop' });
      });

      it('an abort mid-stream stops it with ABORTED and cancels the request on the backend', async () => {
        h.arrange({ type: 'stall', chunks: ['partial'] });
        const controller = new AbortController();
        const stream = provider.streamComplete(user, { signal: controller.signal });
        const it = stream[Symbol.asyncIterator]();
        await it.next();
        controller.abort();
        const err = await caught(it.next());
        expect(err.code).toBe('ABORTED');
        await eventually(() => h.inFlight() === 0);
      });

      it('leaving the loop early cancels the request on the backend', async () => {
        h.arrange({ type: 'stall', chunks: ['one', 'two'] });
        const stream = provider.streamComplete(user);
        for await (const _ of stream) break;
        await eventually(() => h.inFlight() === 0);
        await expect(stream.response).rejects.toMatchObject({ code: 'ABORTED' });
      });

      // A stream that stops early, by a reset or by a clean EOF without the end marker, never ends cleanly.
      const expectIncomplete = async (type: 'cut' | 'truncated'): Promise<void> => {
        h.arrange({ type, chunks: ['Hello', ' wor'] });
        const stream = provider.streamComplete(user);
        const seen: string[] = [];
        const err = await caught((async () => {
          for await (const c of stream) seen.push(c);
        })());
        expect(err.code).toBe('INCOMPLETE_STREAM');
        expect((err as unknown as { partialText: string }).partialText).toBe(seen.join(''));
        if (h.scriptedText !== false) expect(seen.join('')).toBe('Hello wor');
        await expect(stream.response).rejects.toMatchObject({ code: 'INCOMPLETE_STREAM' });
      };

      it('a stream cut after the first chunk is INCOMPLETE_STREAM with the partial text, never a clean end', () => expectIncomplete('cut'));

      it('a stream that ends cleanly without the backend\'s end marker is INCOMPLETE_STREAM with the partial text, never success', () => expectIncomplete('truncated'));

      it('an error event mid-stream is INCOMPLETE_STREAM with the partial text', async () => {
        h.arrange({ type: 'stream-error', chunks: ['Par', 'tial'] });
        const stream = provider.streamComplete(user);
        const err = await caught(stream.collect());
        expect(err.code).toBe('INCOMPLETE_STREAM');
        expect((err as unknown as { partialText: string }).partialText).toBe(stream.text);
      });

      it('a failure before the first chunk is thrown as the typed error itself (so a chain can fall back)', async () => {
        h.arrange({ type: 'error', error: 'server' });
        const err = await caught(provider.streamComplete(user).collect());
        expect(err.code).toBe('SERVER_ERROR');
        expect(err.retryable).toBe(true);
      });
    });

    describe('tools', () => {
      const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
      it('returns tool calls with parsed input and finishReason "tool-calls"', async () => {
        h.arrange({ type: 'tool-calls', calls: [{ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }, { id: 'call_2', name: 'get_weather', input: { city: 'Rome' } }] });
        const r = await provider.complete(user, { tools });
        expect(r.finishReason).toBe('tool-calls');
        expect(r.toolCalls?.map((c) => [c.name, c.input])).toEqual([
          ['get_weather', { city: 'Paris' }],
          ['get_weather', { city: 'Rome' }],
        ]);
        expect(h.lastRequest()!.tools).toEqual(['get_weather']);
      });

      it('assembles streamed tool calls into the final response', async () => {
        h.arrange({ type: 'tool-calls', text: 'Checking. ', calls: [{ id: 'call_9', name: 'get_weather', input: { city: 'Oslo' } }] });
        const { chunks, response } = await consume(provider, user, { tools });
        expect(chunks.join('')).toBe(response.content);
        expect(response.toolCalls).toEqual([expect.objectContaining({ name: 'get_weather', input: { city: 'Oslo' } })]);
        expect(response.finishReason).toBe('tool-calls');
      });
    });

    describe('tools: choice and results', () => {
      const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

      it('a forced tool is sent as forced, or refused with UNSUPPORTED_FEATURE before any request', async () => {
        h.arrange({ type: 'tool-calls', calls: [{ id: 'call_f', name: 'get_weather', input: { city: 'Lyon' } }] });
        const before = h.lastRequest();
        try {
          await provider.complete(user, { tools, toolChoice: { type: 'tool', name: 'get_weather' }, maxTokens: 16 });
        } catch (error) {
          expect((error as LLMError).code).toBe('UNSUPPORTED_FEATURE');
          expect(h.lastRequest()).toEqual(before);
          await drain(provider);
          return;
        }
        const sent = h.lastRequest()!;
        if (sent.toolChoice !== undefined) expect(sent.toolChoice).toEqual({ name: 'get_weather' });
      });

      it('toolChoice "none" sends no tool the model could call', async () => {
        h.arrange({ type: 'text', chunks: ['no tools'] });
        try {
          await provider.complete(user, { tools, toolChoice: 'none', maxTokens: 16 });
        } catch (error) {
          expect((error as LLMError).code).toBe('UNSUPPORTED_FEATURE');
          await drain(provider);
          return;
        }
        const sent = h.lastRequest()!;
        expect(sent.tools === undefined || sent.tools.length === 0 || sent.toolChoice === 'none').toBe(true);
      });

      it('a tool result goes back to the model in the follow-up request', async () => {
        h.arrange({ type: 'text', chunks: ['It is sunny in Paris.'] });
        await provider.complete(
          [
            { role: 'user', content: 'Weather in Paris?' },
            { role: 'assistant', content: [{ type: 'tool-call', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] },
            { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', content: 'sunny, 21 degrees' }] },
          ],
          { tools, maxTokens: 16 },
        );
        expect(JSON.stringify(h.lastRequest()!.messages)).toContain('sunny, 21 degrees');
      });
    });

    describe('structured output and content', () => {
      const schema = { type: 'object', properties: { quality: { type: 'string', enum: ['720p', '1080p'] } }, required: ['quality'], additionalProperties: false };

      it('a JSON schema is honoured: the answer parses and matches, or the feature is refused with UNSUPPORTED_FEATURE', async () => {
        h.arrange({ type: 'text', chunks: ['{"quality":', '"1080p"}'] });
        let content: string;
        try {
          content = (await provider.complete(user, { responseFormat: { type: 'json', name: 'pick', schema }, maxTokens: 200, temperature: 0 })).content;
        } catch (error) {
          expect((error as LLMError).code).toBe('UNSUPPORTED_FEATURE');
          await drain(provider);
          return;
        }
        const parsed = JSON.parse(content) as { quality?: string };
        expect(['720p', '1080p']).toContain(parsed.quality);
        const sent = h.lastRequest();
        if (sent?.jsonOutput !== undefined) expect(sent.jsonOutput).toBe(true);
      });

      it('an image part reaches the backend with its text, or is refused with a typed error before any request', async () => {
        // A 1×1 transparent PNG.
        const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
        h.arrange({ type: 'text', chunks: ['a pixel'] });
        const before = h.lastRequest();
        try {
          await provider.complete(
            [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: png } }] }],
            { maxTokens: 16 },
          );
        } catch (error) {
          expect(['UNSUPPORTED_FEATURE', 'INVALID_REQUEST']).toContain((error as LLMError).code);
          expect(h.lastRequest()).toEqual(before);
          await drain(provider);
          return;
        }
        const sent = h.lastRequest()!;
        expect(sent.messages.at(-1)!.text).toContain('What is this?');
        if (sent.images !== undefined) expect(sent.images).toBe(1);
      });
    });

    describe('errors', () => {
      for (const kind of ALL_KINDS) {
        it(`maps a backend "${kind}" failure to ${EXPECTED_ERROR[kind].code}`, async (ctx) => {
          if (h.errorKinds && !h.errorKinds.includes(kind)) ctx.skip();
          h.arrange({ type: 'error', error: kind, ...(kind === 'rate-limit' ? { retryAfterSeconds: 7 } : {}) });
          const err = await caught(provider.complete(user));
          expect(err.code).toBe(EXPECTED_ERROR[kind].code);
          expect(err.retryable).toBe(EXPECTED_ERROR[kind].retryable);
          expect(err.provider).toBe(provider.name);
          if (kind === 'rate-limit') expect((err as unknown as { retryAfterMs?: number }).retryAfterMs).toBe(7_000);
        });
      }

      it('a rate limit without retry-after is still RATE_LIMITED', async (ctx) => {
        if (h.errorKinds && !h.errorKinds.includes('rate-limit')) ctx.skip();
        h.arrange({ type: 'error', error: 'rate-limit' });
        const err = await caught(provider.complete(user));
        expect(err.code).toBe('RATE_LIMITED');
      });

      it('a backend that never answers ends in TIMEOUT at the call deadline', async () => {
        h.arrange({ type: 'hang' });
        const err = await caught(provider.complete(user, { timeout: 300 }));
        expect(err.code).toBe('TIMEOUT');
        expect(err.retryable).toBe(true);
      });

      it('a stream that stalls after its first chunk ends at the deadline with the partial text kept', async () => {
        h.arrange({ type: 'stall', chunks: ['so far'] });
        const stream = provider.streamComplete(user, { timeout: 400 });
        const err = await caught(stream.collect());
        expect(['TIMEOUT', 'INCOMPLETE_STREAM']).toContain(err.code);
        expect(stream.text.length).toBeGreaterThan(0);
      });

      it('a malformed answer is MALFORMED_RESPONSE', async () => {
        h.arrange({ type: 'malformed' });
        const err = await caught(provider.complete(user));
        expect(err.code).toBe('MALFORMED_RESPONSE');
      });

      it('an abort before the call starts rejects at once with ABORTED', async () => {
        const err = await caught(provider.complete(user, { signal: AbortSignal.abort() }));
        expect(err.code).toBe('ABORTED');
      });
    });

    describe('models and health', () => {
      it('getModels lists ids with capabilities', async () => {
        const models = await provider.getModels();
        expect(models.length).toBeGreaterThan(0);
        for (const m of models) {
          expect(m.id).toBeTruthy();
          expect(m.provider).toBe(provider.name);
          expect(typeof m.capabilities.tools).toBe('boolean');
          expect(typeof m.capabilities.streaming).toBe('boolean');
        }
      });

      it('healthCheck reports status and latency', async () => {
        const report = await provider.healthCheck();
        expect(report.provider).toBe(provider.name);
        expect(report.status).toBe('ok');
        expect(report.latencyMs).toBeGreaterThanOrEqual(0);
      });

      it('isAvailable is true for a reachable backend', async () => {
        await expect(provider.isAvailable()).resolves.toBe(true);
      });

      it('an unreachable backend: isAvailable false (never throws), healthCheck down with a reason', async (ctx) => {
        if (!h.createUnreachableProvider) ctx.skip();
        const down = await h.createUnreachableProvider!();
        try {
          await expect(down.isAvailable()).resolves.toBe(false);
          const report = await down.healthCheck();
          expect(report.status).toBe('down');
          expect(report.reason).toBeTruthy();
          const err = await caught(down.complete(user));
          expect(err.code).toBe('PROVIDER_UNAVAILABLE');
          expect(err.retryable).toBe(true);
        } finally {
          await down.dispose();
        }
      });
    });

    describe('hygiene', () => {
      it('the secret appears in no error, printed form or log line', async (ctx) => {
        if (!h.canarySecret) ctx.skip();
        const secret = h.canarySecret!;
        h.arrange({ type: 'error', error: 'auth', message: `invalid x-api-key ${secret}` });
        const err = await caught(provider.complete(user));
        const printed = [err.message, err.stack ?? '', inspect(err, { depth: 10 }), JSON.stringify(err), inspect(provider, { depth: 6 }), JSON.stringify(provider) ?? '', ...(h.capturedLogs?.() ?? [])];
        for (const text of printed) expect(text).not.toContain(secret);
      });

      it('dispose can be called twice', async () => {
        const p = await h.createProvider();
        await p.dispose();
        await expect(p.dispose()).resolves.toBeUndefined();
      });
    });
  });
}
