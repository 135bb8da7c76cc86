import { getEventListeners } from 'node:events';
import { inspect } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LLMError, loadConfig, ProviderFactory, type LLMMessage } from '@autoarr-llm/core';
import { anthropicWire, startAnthropicStandIn, type AnthropicStandIn } from '@autoarr-llm/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger, CANARY_KEY } from './claude-harness.test-helper.js';
import { createClaude, type ClaudeProvider } from './claude-provider.js';
import type { ClaudeSettingsInput } from './claude-settings.js';
import { KNOWN_CLAUDE_MODELS } from './known-claude-models.js';

const user: LLMMessage[] = [{ role: 'user', content: 'Say hello' }];
let standIn: AnthropicStandIn;
const logger = captureLogger();
const providers: ClaudeProvider[] = [];

function claude(settings: ClaudeSettingsInput = {}): ClaudeProvider {
  const p = createClaude({ apiKey: CANARY_KEY, baseUrl: standIn.url, ...settings }, { logger, env: {} });
  providers.push(p);
  return p;
}

async function failure(promise: Promise<unknown>): Promise<LLMError & Record<string, unknown>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(LLMError.isInstance(error), `expected a typed error, got ${inspect(error)}`).toBe(true);
  return error as LLMError & Record<string, unknown>;
}

const body = () => standIn.lastMessagesRequest()!.body as Record<string, unknown>;

beforeAll(async () => {
  standIn = await startAnthropicStandIn();
});
afterEach(() => standIn.setModelListing('ok'));
afterAll(async () => {
  await Promise.all(providers.map((p) => p.dispose()));
  await standIn.close();
});

describe('requests the SDK sends', () => {
  it('posts /v1/messages with the key as a Bearer token, API version 2026-10-21, and the mapped body', async () => {
    standIn.arrange({ type: 'text', chunks: ['ok'] });
    await claude({ model: 'claude-sonnet-5-5', maxTokens: 1000 }).complete(
      [
        { role: 'system', content: 'You audit configurations.' },
        { role: 'user', content: 'Check this' },
      ],
      { stop: ['END'], temperature: 0.2 },
    );
    const req = standIn.lastMessagesRequest()!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/messages');
    // @anthropic-ai/sdk 1.x sends the key as `Authorization: Bearer`, no longer as x-api-key.
    expect(req.headers['authorization']).toBe(`Bearer ${CANARY_KEY}`);
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(req.headers['anthropic-version']).toBe('2026-10-21');
    expect(req.headers['x-stainless-retry-count']).toBe('0');
    expect(body()).toEqual({ model: 'claude-sonnet-5-5', max_tokens: 1000, system: 'You audit configurations.', messages: [{ role: 'user', content: 'Check this' }], stop_sequences: ['END'], stream: false });
    // No temperature: API version 2026-10-21 answers 400 to any sampling parameter.
    expect(body()).not.toHaveProperty('temperature');
  });

  it('with an older apiVersion pins the header and sends temperature', async () => {
    standIn.arrange({ type: 'text', chunks: ['ok'] });
    await claude({ apiVersion: '2023-06-01' }).complete(user, { temperature: 0.3 });
    expect(standIn.lastMessagesRequest()!.headers['anthropic-version']).toBe('2023-06-01');
    expect(body()['temperature']).toBeCloseTo(0.3);
  });

  it('the stand-in refuses temperature under 2026-10-21 as the API does, and the provider reports it as INVALID_REQUEST', async () => {
    const p = claude();
    const err = await failure(p.complete(user, { providerOptions: { claude: { temperature: 1 } } }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.message).toMatch(/temperature: Extra inputs are not permitted/);
    expect(err.status).toBe(400);
  });

  it('streams with stream: true and the same mapping', async () => {
    standIn.arrange({ type: 'text', chunks: ['a', 'b'] });
    const r = await claude().streamComplete(user, { maxTokens: 12 }).collect();
    expect(r.content).toBe('ab');
    expect(body()).toMatchObject({ stream: true, max_tokens: 12, model: 'claude-sonnet-5-5' });
  });
});

describe('responses', () => {
  it('maps usage including cache read/write tokens, and the model the API reports', async () => {
    standIn.arrange({
      type: 'raw-json',
      status: 200,
      body: { ...anthropicWire.anthropicMessage('claude-sonnet-5-5-20261001', [{ type: 'text', text: 'cached' }], 'end_turn', { input_tokens: 5, output_tokens: 3, cache_read_input_tokens: 1200, cache_creation_input_tokens: 40 }) },
    });
    const r = await claude().complete(user);
    expect(r).toMatchObject({ content: 'cached', model: 'claude-sonnet-5-5-20261001', provider: 'claude', finishReason: 'stop' });
    expect(r.usage).toEqual({ inputTokens: 5, outputTokens: 3, totalTokens: 8, cacheReadTokens: 1200, cacheWriteTokens: 40, source: 'reported' });
  });

  it.each([
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
    ['stop_sequence', 'stop-sequence'],
    ['model_context_window_exceeded', 'length'],
  ])('stop_reason %s → %s (complete and stream)', async (wire, finish) => {
    standIn.arrange({ type: 'raw-json', status: 200, body: anthropicWire.anthropicMessage('m', [{ type: 'text', text: 'x' }], wire, { input_tokens: 1, output_tokens: 1 }) });
    expect((await claude().complete(user)).finishReason).toBe(finish);
    standIn.arrange({
      type: 'raw-sse',
      events: [...anthropicWire.streamOpening('m', 1), anthropicWire.textBlockStart(0), anthropicWire.textDelta(0, 'x'), anthropicWire.blockStop(0), ...anthropicWire.streamClosing(wire, 1)],
    });
    expect((await claude().streamComplete(user).collect()).finishReason).toBe(finish);
  });

  it('stream usage merges message_start (input, cache) with message_delta (output)', async () => {
    const opening = anthropicWire.streamOpening('m', 9);
    (opening[0]!.data as { message: { usage: Record<string, number> } }).message.usage['cache_read_input_tokens'] = 77;
    standIn.arrange({ type: 'raw-sse', events: [...opening, anthropicWire.textBlockStart(0), anthropicWire.textDelta(0, 'hi'), anthropicWire.blockStop(0), ...anthropicWire.streamClosing('end_turn', 6)] });
    const r = await claude().streamComplete(user).collect();
    expect(r.usage).toMatchObject({ inputTokens: 9, outputTokens: 6, totalTokens: 15, cacheReadTokens: 77 });
  });
});

describe('the event stream', () => {
  it('leaves no listener on a long-lived caller signal after many streams (finished, cut and abandoned)', async () => {
    const session = new AbortController();
    const p = claude();
    for (let i = 0; i < 12; i++) {
      standIn.arrange({ type: 'text', chunks: ['a', 'b'] });
      expect(await p.streamComplete(user, { signal: session.signal }).collect()).toMatchObject({ content: 'ab' });
    }
    standIn.arrange({ type: 'raw-sse', events: [...anthropicWire.streamOpening('m', 1), anthropicWire.textBlockStart(0), anthropicWire.textDelta(0, 'part')], ending: 'destroy' });
    await expect(p.streamComplete(user, { signal: session.signal }).collect()).rejects.toMatchObject({ code: 'INCOMPLETE_STREAM', partialText: 'part' });
    standIn.arrange({ type: 'text', chunks: ['x', 'y', 'z'] });
    for await (const _ of p.streamComplete(user, { signal: session.signal })) break;
    // What a chain uses: the bare event iterator, handed the caller's signal itself.
    for (let i = 0; i < 12; i++) {
      standIn.arrange({ type: 'text', chunks: ['a', 'b'] });
      const events = p.streamEvents(user, { signal: session.signal }, session.signal);
      for (let step = await events.next(); !step.done; step = await events.next());
    }
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(0);
  });

  it('skips pings and event types it does not know, and keeps the text of every delta', async () => {
    standIn.arrange({
      type: 'raw-sse',
      events: [
        ...anthropicWire.streamOpening('m', 1),
        { event: 'ping', data: { type: 'ping' } },
        anthropicWire.textBlockStart(0),
        anthropicWire.textDelta(0, 'héllo '),
        { event: 'some_future_event', data: { type: 'some_future_event', detail: 1 } },
        anthropicWire.textDelta(0, 'wörld'),
        anthropicWire.blockStop(0),
        ...anthropicWire.streamClosing('end_turn', 2),
      ],
    });
    const chunks: string[] = [];
    const stream = claude().streamComplete(user);
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toEqual(['héllo ', 'wörld']);
    expect(await stream.response).toMatchObject({ content: 'héllo wörld', finishReason: 'stop' });
  });

  it('reads text deltas in any shape the format allows, and refuses one the format does not', async () => {
    const delta = (data: string) => ({ event: 'content_block_delta', data: new anthropicWire.RawSseData(data) });
    standIn.arrange({
      type: 'raw-sse',
      events: [
        ...anthropicWire.streamOpening('m', 1),
        anthropicWire.textBlockStart(0),
        delta('{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "spaced "}}'),
        delta('{"index":0,"type":"content_block_delta","delta":{"text":"reordered ","type":"text_delta"}}'),
        delta('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"esc\\\\aped \\"q\\" \\u00e9\\n"}}'),
        anthropicWire.blockStop(0),
        ...anthropicWire.streamClosing('end_turn', 3),
      ],
    });
    const chunks: string[] = [];
    for await (const chunk of claude().streamComplete(user)) chunks.push(chunk);
    expect(chunks).toEqual(['spaced ', 'reordered ', 'esc\\aped "q" é\n']);

    standIn.arrange({ type: 'raw-sse', events: [...anthropicWire.streamOpening('m', 1), anthropicWire.textBlockStart(0), delta('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"bad \\x"}}')] });
    const error = await failure(claude().streamComplete(user).collect());
    expect(error.code).toBe('MALFORMED_RESPONSE');
    expect(error.message).toContain('content_block_delta');

    standIn.arrange({ type: 'raw-sse', events: [...anthropicWire.streamOpening('m', 1), anthropicWire.textBlockStart(0), anthropicWire.textDelta(3, 'orphan')] });
    expect((await failure(claude().streamComplete(user).collect())).message).toContain('block 3, which never started');
  });

  it('a data line that is not JSON is a MalformedResponseError naming the event', async () => {
    standIn.arrange({ type: 'raw-sse', events: [...anthropicWire.streamOpening('m', 1), { event: 'content_block_start', data: new anthropicWire.RawSseData('{not json') }] });
    const error = await failure(claude().streamComplete(user).collect());
    expect(error.code).toBe('MALFORMED_RESPONSE');
    expect(error.message).toContain('content_block_start');
  });
});

describe('tools', () => {
  const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

  it('sends tools and tool_choice in the API shape', async () => {
    const p = claude();
    for (const [choice, wire] of [
      ['auto', { type: 'auto' }],
      ['required', { type: 'any' }],
      ['none', { type: 'none' }],
      [{ type: 'tool', name: 'get_weather' }, { type: 'tool', name: 'get_weather' }],
    ] as const) {
      standIn.arrange({ type: 'text', chunks: ['ok'] });
      await p.complete(user, { tools, toolChoice: choice });
      expect(body()['tool_choice']).toEqual(wire);
      expect(body()['tools']).toEqual([{ name: 'get_weather', description: 'Weather for a city', input_schema: tools[0]!.inputSchema }]);
    }
  });

  it('a named tool choice missing from the tools fails before any request', async () => {
    const before = standIn.requests.length;
    const err = await failure(claude().complete(user, { tools, toolChoice: { type: 'tool', name: 'nope' } }));
    expect(err.code).toBe('INVALID_REQUEST');
    expect(standIn.requests.length).toBe(before);
  });

  it('round trip: a tool call, then its result sent back as tool_use / tool_result blocks', async () => {
    const p = claude();
    standIn.arrange({ type: 'tool-calls', text: 'Let me check.', calls: [{ id: 'toolu_01', name: 'get_weather', input: { city: 'Oslo' } }] });
    const first = await p.streamComplete(user, { tools }).collect();
    expect(first.finishReason).toBe('tool-calls');
    expect(first.toolCalls).toEqual([{ id: 'toolu_01', name: 'get_weather', input: { city: 'Oslo' } }]);

    standIn.arrange({ type: 'text', chunks: ['It is 4 °C in Oslo.'] });
    const history: LLMMessage[] = [
      ...user,
      { role: 'assistant', content: [{ type: 'text', text: first.content }, ...first.toolCalls!.map((c) => ({ type: 'tool-call' as const, ...c }))] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_01', content: { tempC: 4 } }] },
    ];
    const second = await p.complete(history, { tools });
    expect(second.content).toBe('It is 4 °C in Oslo.');
    expect(body()['messages']).toEqual([
      { role: 'user', content: 'Say hello' },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Oslo' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '{"tempC":4}' }] },
    ]);
  });

  it('streamed tool input that is not JSON is MALFORMED_RESPONSE', async () => {
    standIn.arrange({
      type: 'raw-sse',
      events: [
        ...anthropicWire.streamOpening('m', 1),
        { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'get_weather', input: {} } } },
        { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": Oslo' } } },
        anthropicWire.blockStop(0),
        ...anthropicWire.streamClosing('tool_use', 1),
      ],
    });
    expect((await failure(claude().streamComplete(user, { tools }).collect())).code).toBe('MALFORMED_RESPONSE');
  });
});

describe('vision', () => {
  const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');

  it('sends base64 and URL images as image blocks', async () => {
    standIn.arrange({ type: 'text', chunks: ['a cat'] });
    await claude().complete([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: png } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
    expect(body()['messages']).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('an unsupported media type or an image over 5 MB fails before any request', async () => {
    const before = standIn.requests.length;
    const bmp = await failure(claude().complete([{ role: 'user', content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/bmp', data: png } }] }]));
    expect(bmp.code).toBe('INVALID_REQUEST');
    expect(bmp.message).toMatch(/image\/bmp/);
    const big = Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64');
    const huge = await failure(claude().complete([{ role: 'user', content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/jpeg', data: big } }] }]));
    expect(huge.code).toBe('INVALID_REQUEST');
    expect(huge.message).toMatch(/5 MB/);
    expect(standIn.requests.length).toBe(before);
  });
});

describe('structured output', () => {
  const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };

  it('asks for output_config.format json_schema (strict) and returns valid JSON', async () => {
    standIn.arrange({ type: 'text', chunks: ['{"ok":', 'true}'] });
    const r = await claude().complete(user, { responseFormat: { type: 'json', schema } });
    expect(JSON.parse(r.content)).toEqual({ ok: true });
    expect(body()['output_config']).toEqual({ format: { type: 'json_schema', schema: { ...schema, additionalProperties: false } } });
  });

  it('an answer that is not JSON, or lacks required keys, is STRUCTURED_OUTPUT_INVALID with the raw answer, not retryable', async () => {
    standIn.arrange({ type: 'text', chunks: ['Sure! {ok: yes}'] });
    const error = (await failure(claude().complete(user, { responseFormat: { type: 'json', schema } }))) as unknown as { code: string; rawText: string; retryable: boolean };
    expect(error).toMatchObject({ code: 'STRUCTURED_OUTPUT_INVALID', rawText: 'Sure! {ok: yes}', retryable: false });
    standIn.arrange({ type: 'text', chunks: ['Sure! {ok: yes}'] });
    expect(await failure(claude().streamComplete(user, { responseFormat: { type: 'json', schema } }).collect())).toMatchObject({ code: 'STRUCTURED_OUTPUT_INVALID', rawText: 'Sure! {ok: yes}' });
    standIn.arrange({ type: 'text', chunks: ['{"other":1}'] });
    expect((await failure(claude().complete(user, { responseFormat: { type: 'json', schema } }))).message).toMatch(/required properties: ok/);
  });

  it('without a schema asks for JSON in the system prompt', async () => {
    standIn.arrange({ type: 'text', chunks: ['[1,2]'] });
    await claude().complete(user, { responseFormat: { type: 'json' } });
    expect(body()['system']).toMatch(/single JSON value/);
    expect(body()).not.toHaveProperty('output_config');
  });
});

describe('models and health', () => {
  it('getModels lists ids, display names and capabilities from the Models API', async () => {
    const models = await claude().getModels();
    expect(models.map((m) => m.id)).toEqual(['claude-sonnet-5-5', 'claude-haiku-5-5', 'claude-opus-5-5']);
    expect(models[0]).toMatchObject({ displayName: 'Claude Sonnet 5.5', contextLength: 1_000_000, capabilities: { streaming: true, tools: true, vision: true, json: true } });
    expect(standIn.requests.at(-1)!.path).toBe('/v1/models');
  });

  it('falls back to the built-in list when listing is forbidden or not found', async () => {
    for (const mode of ['forbidden', 'not-found'] as const) {
      standIn.setModelListing(mode);
      const models = await claude().getModels();
      expect(models.map((m) => m.id)).toEqual(KNOWN_CLAUDE_MODELS.map((m) => m.id));
      expect(models[0]!.details).toEqual({ source: 'built-in' });
    }
  });

  it('healthCheck: ok with the model present; degraded naming CLAUDE_MODEL when it is missing; down on a refused key', async () => {
    expect(await claude().healthCheck()).toMatchObject({ status: 'ok', reachable: true, authenticated: true, model: { id: 'claude-sonnet-5-5', present: true } });
    const missing = await claude({ model: 'claude-nonexistent' }).healthCheck();
    expect(missing).toMatchObject({ status: 'degraded', reachable: true, model: { present: false } });
    expect(missing.reason).toMatch(/CLAUDE_MODEL/);
    standIn.setModelListing('forbidden');
    expect(await claude().healthCheck()).toMatchObject({ status: 'ok', authenticated: true, model: { present: true } });
  });

  it('without a key: created, unavailable at once with no request, complete says to set CLAUDE_API_KEY', async () => {
    const before = standIn.requests.length;
    const p = createClaude({ baseUrl: standIn.url }, { env: {} });
    providers.push(p);
    expect(p.configured).toBe(false);
    await expect(p.isAvailable()).resolves.toBe(false);
    const err = await failure(p.complete(user));
    expect(err.code).toBe('PROVIDER_UNAVAILABLE');
    expect(err.message).toMatch(/CLAUDE_API_KEY/);
    expect((await failure(p.streamComplete(user).collect())).code).toBe('PROVIDER_UNAVAILABLE');
    expect(standIn.requests.length).toBe(before);
  });
});

describe('errors', () => {
  it('429 without retry-after takes the wait from anthropic-ratelimit-*-reset', async () => {
    standIn.arrange({ type: 'error', error: 'rate-limit' });
    const err = await failure(claude().complete(user));
    expect(err.code).toBe('RATE_LIMITED');
    expect(err['retryAfterMs']).toBeGreaterThan(25_000);
    expect(err['retryAfterMs']).toBeLessThanOrEqual(30_000);
  });

  it('429 whose message says the credit is used up is QUOTA_EXHAUSTED, even without an error_code', async () => {
    standIn.arrange({ type: 'raw-json', status: 429, body: anthropicWire.anthropicErrorBody('rate_limit_error', 'Your credit balance is too low to access the Anthropic API.', 'req_1') });
    expect((await failure(claude().complete(user))).code).toBe('QUOTA_EXHAUSTED');
  });

  it.each([
    [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.', 'INVALID_REQUEST', false],
    [529, 'overloaded_error', 'Overloaded', 'OVERLOADED', true],
    [503, 'api_error', 'Service unavailable', 'SERVER_ERROR', true],
    [402, 'billing_error', 'Payment required', 'QUOTA_EXHAUSTED', false],
  ])('HTTP %i %s → %s', async (status, type, message, code, retryable) => {
    standIn.arrange({ type: 'raw-json', status, body: anthropicWire.anthropicErrorBody(type, message, 'req_2') });
    const err = await failure(claude().complete(user));
    expect([err.code, err.retryable, err.status]).toEqual([code, retryable, status]);
    expect(err.message).toMatch(/request req_standin\d+/);
  });

  it('an error event before any text is thrown as the typed error itself', async () => {
    standIn.arrange({ type: 'raw-sse', events: [...anthropicWire.streamOpening('m', 1), anthropicWire.streamError('overloaded_error', 'Overloaded', 'req_3')] });
    const err = await failure(claude().streamComplete(user).collect());
    expect(err.code).toBe('OVERLOADED');
  });

  it('a stream that ends cleanly but without message_stop is INCOMPLETE_STREAM with the partial text', async () => {
    standIn.arrange({ type: 'raw-sse', events: [...anthropicWire.streamOpening('m', 1), anthropicWire.textBlockStart(0), anthropicWire.textDelta(0, 'half')], ending: 'end' });
    const stream = claude().streamComplete(user);
    const err = await failure(stream.collect());
    expect(err.code).toBe('INCOMPLETE_STREAM');
    expect(err['partialText']).toBe('half');
  });

  it('leaves no listener on a long-lived caller signal after many calls', async () => {
    const session = new AbortController();
    const p = claude();
    for (let i = 0; i < 12; i++) {
      standIn.arrange({ type: 'text', chunks: [`answer ${i}`] });
      expect(await p.complete(user, { signal: session.signal })).toMatchObject({ content: `answer ${i}` });
    }
    standIn.arrange({ type: 'error', error: 'server' });
    await failure(p.complete(user, { signal: session.signal }));
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(0);
  });

  it('a deadline that passes while the body is still arriving is TIMEOUT, and the request is closed', async () => {
    for (const signal of [undefined, new AbortController().signal]) {
      standIn.arrange({ type: 'stalled-json', body: anthropicWire.anthropicMessage('m', [{ type: 'text', text: 'never finished' }], 'end_turn', { input_tokens: 1, output_tokens: 2 }), bytes: 30 });
      const started = performance.now();
      const err = await failure(claude().complete(user, { timeout: 300, ...(signal ? { signal } : {}) }));
      expect(err.code).toBe('TIMEOUT');
      expect(performance.now() - started).toBeLessThan(5_000);
    }
    // The stalled responses were abandoned by the client, not left open.
    await new Promise((r) => setTimeout(r, 50));
    expect(standIn.inFlight()).toBe(0);
  });

  it('a caller abort while the body is still arriving is ABORTED', async () => {
    standIn.arrange({ type: 'stalled-json', body: anthropicWire.anthropicMessage('m', [{ type: 'text', text: 'never finished' }], 'end_turn', { input_tokens: 1, output_tokens: 2 }), bytes: 30 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    expect((await failure(claude().complete(user, { signal: controller.signal }))).code).toBe('ABORTED');
  });

  it('a body cut half-way through is a typed, retryable error, never an answer', async () => {
    standIn.arrange({ type: 'cut', chunks: ['half an answer'] });
    const err = await failure(claude().complete(user));
    expect(err.retryable).toBe(true);
  });

  it('a body that is not JSON is MALFORMED_RESPONSE', async () => {
    standIn.arrange({ type: 'raw-json', status: 200, body: '{"id":"msg_1","type":"mess' });
    expect((await failure(claude().complete(user))).code).toBe('MALFORMED_RESPONSE');
  });

  it('a connection refused is PROVIDER_UNAVAILABLE (retryable), an SDK timeout is TIMEOUT', async () => {
    const { closedPort } = await import('./claude-harness.test-helper.js');
    const down = claude({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const refused = await failure(down.complete(user));
    expect([refused.code, refused.retryable]).toEqual(['PROVIDER_UNAVAILABLE', true]);
    standIn.arrange({ type: 'hang' });
    const slow = await failure(claude({ timeout: 200 }).complete(user));
    expect(slow.code).toBe('TIMEOUT');
    expect(slow['timeoutMs']).toBe(200);
  });
});

describe('through the pipeline (cancelled through the call scope, no AbortSignal)', () => {
  async function pipeline(deadlineMs: number, defaults: { firstChunkTimeoutMs?: number; idleTimeoutMs?: number } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'autoarr-llm-claude-pipeline-'));
    const factory = new ProviderFactory({
      config: await loadConfig({ cwd: dir, env: {}, configFile: false, overrides: { fallback: { order: ['claude'] }, pipeline: { deadlineMs, defaults: { maxAttempts: 1, ...defaults } } } }),
    });
    factory.registerProvider('claude', () => claude());
    const provider = await factory.createProvider();
    return {
      provider,
      close: async () => {
        await provider.dispose();
        await factory.dispose();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const stalled = () => anthropicWire.anthropicMessage('m', [{ type: 'text', text: 'never finished' }], 'end_turn', { input_tokens: 1, output_tokens: 2 });

  it('answers, and the deadline ends a hang before headers and a body that stalls: TIMEOUT, request closed', async () => {
    const rig = await pipeline(300);
    try {
      standIn.arrange({ type: 'text', chunks: ['through the chain'] });
      expect(await rig.provider.complete(user)).toMatchObject({ content: 'through the chain', provider: 'claude' });
      for (const scenario of [{ type: 'hang' } as const, { type: 'stalled-json', body: stalled(), bytes: 30 } as const]) {
        standIn.arrange(scenario);
        const started = performance.now();
        const err = await failure(rig.provider.complete(user));
        expect([err.code, err['phase']]).toEqual(['TIMEOUT', 'total']);
        expect(performance.now() - started).toBeLessThan(3_000);
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(standIn.inFlight()).toBe(0);
    } finally {
      await rig.close();
    }
  });

  it('streams: a consumer that leaves, an idle deadline and a first-chunk deadline each close the request', async () => {
    const rig = await pipeline(30_000, { firstChunkTimeoutMs: 200, idleTimeoutMs: 200 });
    try {
      standIn.arrange({ type: 'text', chunks: ['a', 'b', 'c'] });
      expect(await rig.provider.streamComplete(user).collect()).toMatchObject({ content: 'abc' });

      standIn.arrange({ type: 'stall', chunks: ['first'] });
      for await (const chunk of rig.provider.streamComplete(user)) {
        expect(chunk).toBe('first');
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(standIn.inFlight()).toBe(0);

      standIn.arrange({ type: 'stall', chunks: ['partial'] });
      const idle = rig.provider.streamComplete(user);
      const cut = await failure(idle.collect());
      expect([cut.code, cut['partialText']]).toEqual(['INCOMPLETE_STREAM', 'partial']);

      standIn.arrange({ type: 'hang' });
      const first = await failure(rig.provider.streamComplete(user).collect());
      expect([first.code, first['phase']]).toEqual(['TIMEOUT', 'first-chunk']);
      await new Promise((r) => setTimeout(r, 50));
      expect(standIn.inFlight()).toBe(0);
    } finally {
      await rig.close();
    }
  });

  it('disposing the provider cancels a call in flight: ABORTED, request closed', async () => {
    const rig = await pipeline(30_000);
    standIn.arrange({ type: 'stalled-json', body: stalled(), bytes: 30 });
    const pending = failure(rig.provider.complete(user));
    await new Promise((r) => setTimeout(r, 100));
    await rig.close();
    expect((await pending).code).toBe('ABORTED');
    await new Promise((r) => setTimeout(r, 50));
    expect(standIn.inFlight()).toBe(0);
  });
});

describe('secret hygiene', () => {
  it('the key appears in no error (message, stack, cause, JSON), printed provider or log line', async () => {
    const p = claude();
    standIn.arrange({ type: 'error', error: 'auth', message: `invalid x-api-key ${CANARY_KEY}` }, { type: 'stream-error', chunks: ['x'], message: `bad key ${CANARY_KEY}` });
    const errors = [await failure(p.complete(user)), await failure(p.streamComplete(user).collect())];
    const printed = [
      ...errors.flatMap((e) => [e.message, e.stack ?? '', inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e), String((e.cause as Error | undefined)?.stack)]),
      inspect(p, { depth: 10 }),
      JSON.stringify(p),
      String(p),
      ...logger.lines,
    ];
    expect(printed.join('\n')).toContain('[redacted]');
    for (const text of printed) expect(text).not.toContain(CANARY_KEY);
  });
});
