import { startHttpTestServer } from '@autoarr-llm/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAICompatible } from './create-openai-compatible.js';
import { CANARY_KEY, openAICompatibleHarness, type OpenAICompatibleHarness } from './test-support/openai-compatible-harness.js';

const user = [{ role: 'user' as const, content: 'Say hello' }];
const weather = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string } & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe('OpenAICompatibleProvider against the stand-in', () => {
  let h: OpenAICompatibleHarness;
  beforeAll(async () => {
    h = await openAICompatibleHarness({ models: [{ id: 'qwen2.5-7b-instruct', contextLength: 32_768 }, { id: 'llava-1.6' }] });
  });
  afterAll(() => h.close());

  describe('what is sent', () => {
    it('POSTs {base}/chat/completions as JSON with the bearer key, sampling fields and no stream options', async () => {
      h.arrange({ type: 'text', chunks: ['ok'] });
      await h.provider().complete([{ role: 'system', content: 'Be brief.' }, ...user], { temperature: 0.2, maxTokens: 32, stop: ['END', '###'] });
      const req = h.standIn.requests.at(-1)!;
      expect(req).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
      expect(req.headers['authorization']).toBe(`Bearer ${CANARY_KEY}`);
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.body).toEqual({
        model: 'qwen2.5-7b-instruct',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Say hello' },
        ],
        temperature: 0.2,
        max_tokens: 32,
        stop: ['END', '###'],
        stream: false,
      });
    });

    it('streams with stream_options.include_usage and reads usage from the closing usage chunk', async () => {
      h.arrange({ type: 'text', chunks: ['a', 'b'], usage: { inputTokens: 9, outputTokens: 2 } });
      const response = await h.provider().streamComplete(user).collect();
      expect(h.standIn.lastChatBody()).toMatchObject({ stream: true, stream_options: { include_usage: true } });
      expect(h.standIn.requests.at(-1)!.headers['accept']).toBe('text/event-stream');
      expect(response).toMatchObject({ content: 'ab', finishReason: 'stop', usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11, source: 'reported' } });
    });

    it('sends tools as functions and maps each tool choice', async () => {
      const p = h.provider();
      const choices = [
        [{ type: 'tool', name: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }],
        ['required', 'required'],
        ['none', 'none'],
        ['auto', 'auto'],
      ] as const;
      for (const [ours, wire] of choices) {
        h.arrange({ type: 'text', chunks: ['ok'] });
        await p.complete(user, { tools: [weather], toolChoice: ours });
        expect(h.standIn.lastChatBody()).toMatchObject({
          tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: weather.inputSchema } }],
          tool_choice: wire,
        });
      }
    });

    it('sends a tool round trip: assistant tool_calls with JSON-string arguments, then role "tool" answers by tool_call_id', async () => {
      h.arrange({ type: 'text', chunks: ['It is sunny in Paris and raining in Rome.'] });
      const r = await h.provider().complete(
        [
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
              { type: 'tool-call', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } },
            ],
          },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'call_1', content: { sky: 'sunny' } },
              { type: 'tool-result', toolCallId: 'call_2', content: 'station offline', isError: true },
            ],
          },
        ],
        { tools: [weather] },
      );
      expect(r.content).toBe('It is sunny in Paris and raining in Rome.');
      expect((h.standIn.lastChatBody()!['messages'] as unknown[]).slice(1)).toEqual([
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"sunny"}' },
        { role: 'tool', tool_call_id: 'call_2', content: 'Error: station offline' },
      ]);
    });

    it('sends images as image_url parts: base64 as a data: URL, URLs as they are', async () => {
      h.arrange({ type: 'text', chunks: ['a cat'] });
      await h.provider().complete([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
      ]);
      expect(h.standIn.lastChatBody()!['messages']).toEqual([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ]);
    });

    it('asks for JSON: json_schema with a schema, json_object without; an answer that is not JSON is MALFORMED_RESPONSE', async () => {
      const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
      const p = h.provider();
      h.arrange({ type: 'text', chunks: ['{"ok":', 'true}'] });
      const r = await p.complete(user, { responseFormat: { type: 'json', schema, name: 'audit result' } });
      expect(JSON.parse(r.content)).toEqual({ ok: true });
      expect(h.standIn.lastChatBody()!['response_format']).toEqual({ type: 'json_schema', json_schema: { name: 'audit_result', schema } });

      h.arrange({ type: 'text', chunks: ['{}'] });
      await p.complete(user, { responseFormat: { type: 'json' } });
      expect(h.standIn.lastChatBody()!['response_format']).toEqual({ type: 'json_object' });

      h.arrange({ type: 'text', chunks: ['Sure! Here is the JSON'] });
      expect((await failure(p.complete(user, { responseFormat: { type: 'json', schema } }))).code).toBe('MALFORMED_RESPONSE');
      h.arrange({ type: 'text', chunks: ['{"other":1}'] });
      expect((await failure(p.complete(user, { responseFormat: { type: 'json', schema } }))).message).toMatch(/required properties: ok/);
    });

    it("passes providerOptions['openai-compatible'] through, but not over the fields it owns", async () => {
      const p = h.provider();
      h.arrange({ type: 'text', chunks: ['ok'] });
      await p.complete(user, { providerOptions: { 'openai-compatible': { top_p: 0.9, seed: 42, cache_prompt: true } } });
      expect(h.standIn.lastChatBody()).toMatchObject({ top_p: 0.9, seed: 42, cache_prompt: true, model: 'qwen2.5-7b-instruct' });
      const before = h.standIn.requests.length;
      const err = await failure(p.complete(user, { providerOptions: { 'openai-compatible': { stream: true } } }));
      expect(err).toMatchObject({ code: 'INVALID_REQUEST', field: 'options.providerOptions.openai-compatible.stream' });
      expect(h.standIn.requests.length).toBe(before);
    });

    it('refuses a tool message without tool-result parts before sending anything', async () => {
      const before = h.standIn.requests.length;
      const err = await failure(h.provider().complete([...user, { role: 'tool', content: 'orphan result' }]));
      expect(err).toMatchObject({ code: 'INVALID_REQUEST', field: 'messages.1.content' });
      expect(h.standIn.requests.length).toBe(before);
    });
  });

  describe('what is received', () => {
    it('assembles tool calls streamed in fragments, parsed once whole', async () => {
      h.arrange({ type: 'tool-calls', calls: [{ id: 'call_a', name: 'get_weather', input: { city: 'Oslo', unit: 'celsius' } }, { id: 'call_b', name: 'get_weather', input: { city: 'Bergen' } }] });
      const events: unknown[] = [];
      const stream = h.provider().streamComplete(user, { tools: [weather] });
      for await (const e of stream.events()) events.push(e);
      const calls = events.filter((e) => (e as { type: string }).type === 'tool-call');
      expect(calls).toEqual([
        { type: 'tool-call', toolCall: { id: 'call_a', name: 'get_weather', input: { city: 'Oslo', unit: 'celsius' } } },
        { type: 'tool-call', toolCall: { id: 'call_b', name: 'get_weather', input: { city: 'Bergen' } } },
      ]);
      await expect(stream.response).resolves.toMatchObject({ finishReason: 'tool-calls', toolCalls: [{ id: 'call_a' }, { id: 'call_b' }] });
    });

    it('uses the first listed model when none is configured, looking it up once', async () => {
      const p = h.provider({ model: undefined });
      const lookups = () => h.standIn.requests.filter((r) => r.path === '/v1/models').length;
      const before = lookups();
      h.arrange({ type: 'text', chunks: ['one'] }, { type: 'text', chunks: ['two'] });
      await p.complete(user);
      await p.complete(user);
      expect(h.standIn.lastRequest()!.model).toBe('qwen2.5-7b-instruct');
      expect(lookups() - before).toBe(1);
    });

    it('getModels lists the served models with their context length', async () => {
      const models = await h.provider().getModels();
      expect(models.map((m) => [m.id, m.contextLength])).toEqual([
        ['qwen2.5-7b-instruct', 32_768],
        ['llava-1.6', undefined],
      ]);
      expect(models[0]!.capabilities).toEqual({ streaming: true, tools: true, vision: false, json: true });
    });

    it('healthCheck is degraded (still available) when the configured model is not listed', async () => {
      const p = h.provider({ model: 'mistral-7b' });
      const report = await p.healthCheck();
      expect(report).toMatchObject({ status: 'degraded', reachable: true, model: { id: 'mistral-7b', present: false } });
      expect(report.reason).toMatch(/OPENAI_COMPATIBLE_MODEL/);
      await expect(p.isAvailable()).resolves.toBe(true);
    });

    it('a refused key: healthCheck down and not authenticated, the call AUTHENTICATION_FAILED, the key nowhere', async () => {
      const p = h.provider({ apiKey: 'sk-wrong-key-but-still-secret-42' });
      const report = await p.healthCheck();
      expect(report).toMatchObject({ status: 'down', reachable: true, authenticated: false });
      await expect(p.isAvailable()).resolves.toBe(false);
      const err = await failure(p.complete(user));
      expect(err.code).toBe('AUTHENTICATION_FAILED');
      expect(JSON.stringify(p)).not.toContain('sk-wrong-key');
      expect(JSON.stringify(report)).not.toContain('sk-wrong-key');
    });
  });

  describe('cancellation and deadlines', () => {
    it('an abort reaches the server: the request is cancelled there (disconnect seen)', async () => {
      h.arrange({ type: 'hang' });
      const controller = new AbortController();
      const before = h.standIn.disconnects();
      const call = h.provider().complete(user, { signal: controller.signal });
      await expect.poll(() => h.standIn.inFlight()).toBe(1);
      controller.abort();
      expect((await failure(call)).code).toBe('ABORTED');
      await expect.poll(() => h.standIn.disconnects()).toBe(before + 1);
      await expect.poll(() => h.standIn.inFlight()).toBe(0);
    });

    it('the timeout setting bounds the wait for the first chunk (TIMEOUT, phase first-chunk)', async () => {
      h.arrange({ type: 'hang' });
      const err = await failure(h.provider({ timeout: 150 }).streamComplete(user).collect());
      expect(err).toMatchObject({ code: 'TIMEOUT', phase: 'first-chunk', timeoutMs: 150 });
      expect(err.message).toMatch(/OPENAI_COMPATIBLE_TIMEOUT/);
      await expect.poll(() => h.standIn.inFlight()).toBe(0);
    });

    it('the timeout setting bounds the silence between chunks: INCOMPLETE_STREAM caused by an idle TIMEOUT', async () => {
      h.arrange({ type: 'stall', chunks: ['so far'] });
      const stream = h.provider({ timeout: 150 }).streamComplete(user);
      const err = await failure(stream.collect());
      expect(err.code).toBe('INCOMPLETE_STREAM');
      expect(err['partialText']).toBe('so far');
      expect((err as { cause?: { phase?: string } }).cause?.phase).toBe('idle');
      await expect.poll(() => h.standIn.inFlight()).toBe(0);
    });
  });
});

describe('streams that end without [DONE]', () => {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

  async function serve(body: string) {
    return startHttpTestServer(({ res }) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(body);
    });
  }

  it('a body that ends cleanly but says nothing of finishing is a cut stream: INCOMPLETE_STREAM with the text so far', async () => {
    const server = await serve(chunk({ content: 'Hel' }) + chunk({ content: 'lo' }));
    const p = createOpenAICompatible({ baseUrl: server.url, model: 'm' }, { env: {} });
    try {
      const stream = p.streamComplete(user);
      const err = await failure(stream.collect());
      expect(err).toMatchObject({ code: 'INCOMPLETE_STREAM', partialText: 'Hello' });
    } finally {
      await p.dispose();
      await server.close();
    }
  });

  it('a body that said finish_reason and then ended is complete even without [DONE] (older servers omit it)', async () => {
    const server = await serve(chunk({ content: 'Done.' }) + chunk({}, 'stop'));
    const p = createOpenAICompatible({ baseUrl: server.url, model: 'm' }, { env: {} });
    try {
      await expect(p.streamComplete(user).collect()).resolves.toMatchObject({ content: 'Done.', finishReason: 'stop' });
    } finally {
      await p.dispose();
      await server.close();
    }
  });

  it('a server that ignores stream:true and answers one JSON completion is passed on whole', async () => {
    const server = await startHttpTestServer(({ res }) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: 'm', choices: [{ message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1 } }));
    });
    const p = createOpenAICompatible({ baseUrl: server.url, model: 'm' }, { env: {} });
    try {
      await expect(p.streamComplete(user).collect()).resolves.toMatchObject({ content: 'whole', finishReason: 'stop', usage: { totalTokens: 4 } });
    } finally {
      await p.dispose();
      await server.close();
    }
  });
});
