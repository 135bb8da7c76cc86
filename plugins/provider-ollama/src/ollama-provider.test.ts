import { LLMError } from '@autoarr-llm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OllamaProvider } from './ollama-provider.js';
import { ollamaHarness, type OllamaHarness } from './test-support/ollama-harness.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

async function rejection(promise: Promise<unknown>): Promise<LLMError> {
  try {
    await promise;
  } catch (error) {
    expect(LLMError.isInstance(error)).toBe(true);
    return error as LLMError;
  }
  throw new Error('expected a failure');
}

describe('OllamaProvider against the stand-in (real ollama client)', () => {
  let h: OllamaHarness;
  let provider: OllamaProvider;
  beforeAll(async () => {
    h = await ollamaHarness({ installed: [{ name: 'qwen2.5:7b', capabilities: ['completion', 'tools'] }, { name: 'llava:7b', family: 'llava', capabilities: ['completion', 'vision'] }], loaded: ['qwen2.5:7b', 'llava:7b'] });
    provider = h.provider({ keepAlive: '10m' });
  });
  afterAll(() => h.close());

  const lastChat = () => {
    const req = h.standIn.requests.filter((r) => r.path === '/api/chat').at(-1);
    expect(req?.method).toBe('POST');
    return req!.body as Record<string, any>;
  };

  it('sends model, messages, temperature, num_predict, stop and keep_alive to /api/chat and maps the answer', async () => {
    h.arrange({ type: 'text', chunks: ['Looks ', 'fine.'], usage: { inputTokens: 21, outputTokens: 3 } });
    const r = await provider.complete(
      [
        { role: 'system', content: 'You audit configurations.' },
        { role: 'user', content: 'Check this' },
      ],
      { temperature: 0.2, maxTokens: 50, stop: ['###'] },
    );
    expect(lastChat()).toMatchObject({
      model: 'qwen2.5:7b',
      stream: false,
      keep_alive: '10m',
      messages: [
        { role: 'system', content: 'You audit configurations.' },
        { role: 'user', content: 'Check this' },
      ],
      options: { temperature: 0.2, num_predict: 50, stop: ['###'] },
    });
    expect(lastChat()).not.toHaveProperty('tools');
    expect(lastChat()).not.toHaveProperty('format');
    expect(r).toEqual({
      content: 'Looks fine.',
      model: 'qwen2.5:7b',
      provider: 'ollama',
      usage: { inputTokens: 21, outputTokens: 3, totalTokens: 24, source: 'reported' },
      finishReason: 'stop',
    });
  });

  it('streams through /api/chat with stream:true and reports usage from the done line', async () => {
    h.arrange({ type: 'text', chunks: ['a', 'b', 'c'], usage: { inputTokens: 4, outputTokens: 3 }, finishReason: 'length' });
    const stream = provider.streamComplete([{ role: 'user', content: 'abc?' }], { maxTokens: 3 });
    const chunks: string[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks).toEqual(['a', 'b', 'c']);
    expect(lastChat()).toMatchObject({ stream: true, options: { num_predict: 3 } });
    await expect(stream.response).resolves.toMatchObject({ content: 'abc', finishReason: 'length', usage: { inputTokens: 4, outputTokens: 3 } });
  });

  it('a JSON schema response format becomes Ollama\'s `format`; plain JSON becomes "json"', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    h.arrange({ type: 'text', chunks: ['{"ok":true}'] }, { type: 'text', chunks: ['{}'] });
    const r = await provider.complete([{ role: 'user', content: 'json please' }], { responseFormat: { type: 'json', schema } });
    expect(lastChat()['format']).toEqual(schema);
    expect(JSON.parse(r.content)).toEqual({ ok: true });
    await provider.complete([{ role: 'user', content: 'json please' }], { responseFormat: { type: 'json' } });
    expect(lastChat()['format']).toBe('json');
  });

  it('a JSON answer cut off or off-schema is STRUCTURED_OUTPUT_INVALID carrying the raw text, as with every provider', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    h.arrange({ type: 'text', chunks: ['{"ok":'] }, { type: 'text', chunks: ['{"other":', '1}'] });
    const cut = await provider.complete([{ role: 'user', content: 'json please' }], { responseFormat: { type: 'json', schema } }).catch((e: unknown) => e);
    expect(cut).toMatchObject({ code: 'STRUCTURED_OUTPUT_INVALID', rawText: '{"ok":', retryable: false, provider: 'ollama' });
    const streamed = await provider
      .streamComplete([{ role: 'user', content: 'json please' }], { responseFormat: { type: 'json', schema } })
      .collect()
      .catch((e: unknown) => e);
    expect(streamed).toMatchObject({ code: 'STRUCTURED_OUTPUT_INVALID', rawText: '{"other":1}' });
  });

  it('sends tools as functions and round-trips a tool result by tool name', async () => {
    const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];
    h.arrange({ type: 'tool-calls', calls: [{ id: 'call_7', name: 'get_weather', input: { city: 'Oslo' } }] });
    const first = await provider.complete([{ role: 'user', content: 'Weather in Oslo?' }], { tools });
    expect(lastChat()['tools']).toEqual([{ type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: tools[0]!.inputSchema } }]);
    expect(first.toolCalls).toEqual([{ id: 'call_7', name: 'get_weather', input: { city: 'Oslo' } }]);
    expect(first.finishReason).toBe('tool-calls');

    h.arrange({ type: 'text', chunks: ['It is 4°C in Oslo.'] });
    await provider.complete(
      [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: [{ type: 'tool-call', id: 'call_7', name: 'get_weather', input: { city: 'Oslo' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_7', content: { celsius: 4 } }] },
      ],
      { tools },
    );
    expect(lastChat()['messages']).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] },
      { role: 'tool', content: '{"celsius":4}', tool_name: 'get_weather' },
    ]);
  });

  it('tool calls arrive while streaming', async () => {
    h.arrange({ type: 'tool-calls', text: 'Let me check. ', calls: [{ id: 'c1', name: 'lookup', input: { q: 'x' } }] });
    const events: string[] = [];
    const stream = provider.streamComplete([{ role: 'user', content: 'go' }], { tools: [{ name: 'lookup', inputSchema: { type: 'object' } }] });
    for await (const e of stream.events()) events.push(e.type);
    expect(events).toEqual(['text', 'tool-call', 'finish']);
    await expect(stream.response).resolves.toMatchObject({ content: 'Let me check. ', finishReason: 'tool-calls', toolCalls: [{ name: 'lookup', input: { q: 'x' } }] });
  });

  it('toolChoice "none" sends no tools; forcing a tool is UNSUPPORTED_FEATURE before any request', async () => {
    const tools = [{ name: 'lookup', inputSchema: { type: 'object' } }];
    h.arrange({ type: 'text', chunks: ['ok'] });
    await provider.complete([{ role: 'user', content: 'no tools' }], { tools, toolChoice: 'none' });
    expect(lastChat()).not.toHaveProperty('tools');
    const before = h.standIn.requests.length;
    const err = await rejection(provider.complete([{ role: 'user', content: 'x' }], { tools, toolChoice: 'required' }));
    expect(err.code).toBe('UNSUPPORTED_FEATURE');
    expect(h.standIn.requests.length).toBe(before);
  });

  it('base64 images (and data: URLs) go into `images`; http image URLs are refused with a clear error', async () => {
    h.arrange({ type: 'text', chunks: ['A red pixel.'] });
    await provider.complete(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: PNG } },
            { type: 'image', source: { type: 'url', url: `data:image/png;base64,${PNG}` } },
          ],
        },
      ],
      { model: 'llava:7b' },
    );
    expect(lastChat()).toMatchObject({ model: 'llava:7b', messages: [{ role: 'user', content: 'What is this?', images: [PNG, PNG] }] });

    const err = await rejection(
      provider.complete([{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } }] }], { model: 'llava:7b' }),
    );
    expect(err.code).toBe('UNSUPPORTED_FEATURE');
    expect(err.message).toMatch(/base64/);
  });

  it('providerOptions.ollama passes Modelfile options and keep-alive; unknown keys are INVALID_REQUEST', async () => {
    h.arrange({ type: 'text', chunks: ['ok'] });
    await provider.complete([{ role: 'user', content: 'x' }], { providerOptions: { ollama: { keepAlive: -1, options: { num_ctx: 8192, seed: 7 } } } });
    expect(lastChat()).toMatchObject({ keep_alive: -1, options: { num_ctx: 8192, seed: 7, temperature: 0.7 } });
    const err = await rejection(provider.complete([{ role: 'user', content: 'x' }], { providerOptions: { ollama: { keep_alive: 1 } } }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toContain('providerOptions.ollama');
  });

  it('a malformed NDJSON line mid-stream is MALFORMED_RESPONSE inside an incomplete stream, not a silent skip', async () => {
    h.arrange({ type: 'malformed' });
    const err = await rejection(provider.streamComplete([{ role: 'user', content: 'x' }]).collect());
    expect(err.code).toBe('MALFORMED_RESPONSE');
  });

  it('an error line mid-stream keeps the partial text and Ollama\'s message', async () => {
    h.arrange({ type: 'stream-error', chunks: ['Half an ans'], message: 'llama runner process has terminated: CUDA error' });
    const stream = provider.streamComplete([{ role: 'user', content: 'x' }]);
    const err = await rejection(stream.collect());
    expect(err).toMatchObject({ code: 'INCOMPLETE_STREAM', partialText: 'Half an ans' });
    expect(err.message).toContain('CUDA error');
  });

  it('a rate limit behind a proxy keeps its retry-after', async () => {
    h.arrange({ type: 'error', error: 'rate-limit', retryAfterSeconds: 3 });
    const err = await rejection(provider.complete([{ role: 'user', content: 'x' }]));
    expect(err).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3000, status: 429 });
  });
});
