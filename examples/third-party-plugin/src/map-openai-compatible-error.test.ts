import { describe, expect, it } from 'vitest';
import { mapOpenAICompatibleError } from './map-openai-compatible-error.js';
import { OpenAIWireError } from './openai-wire-error.js';

const ctx = { provider: 'openai-compatible', model: 'qwen2.5-7b-instruct', baseUrl: 'http://127.0.0.1:8080/v1' };

function http(status: number, message: string, details: { type?: string; code?: string; retryAfterMs?: number } = {}) {
  return mapOpenAICompatibleError(new OpenAIWireError('http', message, { status, ...details }), ctx) as { code: string; retryable: boolean; status?: number; retryAfterMs?: number; model?: string };
}

describe('mapOpenAICompatibleError', () => {
  it.each([
    [400, 'bad role', {}, 'INVALID_REQUEST', false],
    [400, 'the request exceeds the available context size', { type: 'exceed_context_size_error' }, 'CONTEXT_LENGTH_EXCEEDED', false],
    [422, 'Unprocessable Entity', {}, 'INVALID_REQUEST', false],
    [413, 'Payload Too Large', {}, 'INVALID_REQUEST', false],
    [401, 'Incorrect API key', {}, 'AUTHENTICATION_FAILED', false],
    [403, 'forbidden', {}, 'PERMISSION_DENIED', false],
    [404, 'The model `x` does not exist', { code: 'model_not_found' }, 'MODEL_NOT_FOUND', false],
    [404, 'File Not Found', {}, 'PROVIDER_UNAVAILABLE', true],
    [408, 'Request Timeout', {}, 'TIMEOUT', true],
    [429, 'Rate limit reached', { code: 'rate_limit_exceeded' }, 'RATE_LIMITED', true],
    [429, 'You exceeded your current quota', { code: 'insufficient_quota' }, 'QUOTA_EXHAUSTED', false],
    [500, 'boom', {}, 'SERVER_ERROR', true],
    [502, 'Bad Gateway', {}, 'SERVER_ERROR', true],
    [503, 'The server is overloaded', {}, 'OVERLOADED', true],
    [503, 'Loading model', { type: 'unavailable_error' }, 'MODEL_LOADING', true],
    [504, 'Gateway Timeout', {}, 'TIMEOUT', true],
    [529, 'Overloaded', {}, 'OVERLOADED', true],
  ] as const)('HTTP %i "%s" → %s', (status, message, details, code, retryable) => {
    const err = http(status, message, details);
    expect(err.code).toBe(code);
    expect(err.retryable).toBe(retryable);
  });

  it('keeps retry-after on rate limits and overload, and names the model that was missing', () => {
    expect(http(429, 'slow down', { retryAfterMs: 1500 }).retryAfterMs).toBe(1500);
    expect(http(503, 'busy', { retryAfterMs: 2000 }).retryAfterMs).toBe(2000);
    expect(http(404, 'model not found', { code: 'model_not_found' }).model).toBe('qwen2.5-7b-instruct');
  });

  it('connection refused is PROVIDER_UNAVAILABLE naming the URL; a reset mid-answer is SERVER_ERROR', () => {
    const refused = mapOpenAICompatibleError(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }), ctx) as Error & { code: string };
    expect(refused.code).toBe('PROVIDER_UNAVAILABLE');
    expect(refused.message).toContain('http://127.0.0.1:8080/v1');
    expect((mapOpenAICompatibleError(new TypeError('terminated'), ctx) as { code: string }).code).toBe('SERVER_ERROR');
    expect((mapOpenAICompatibleError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), ctx) as { code: string }).code).toBe('SERVER_ERROR');
  });

  it('a malformed body and a mid-stream error event are typed too', () => {
    expect((mapOpenAICompatibleError(new OpenAIWireError('malformed', 'not JSON'), ctx) as { code: string }).code).toBe('MALFORMED_RESPONSE');
    expect((mapOpenAICompatibleError(new OpenAIWireError('stream-error', 'engine died'), ctx) as { code: string }).code).toBe('SERVER_ERROR');
    expect((mapOpenAICompatibleError(new OpenAIWireError('stream-error', 'bad schema', { status: 400 }), ctx) as { code: string }).code).toBe('INVALID_REQUEST');
  });
});
