import { describe, expect, it } from 'vitest';
import { mapOllamaError } from './map-ollama-error.js';
import { OllamaWireError } from './ollama-wire-error.js';

const ctx = { provider: 'ollama', model: 'qwen2.5:7b', baseUrl: 'http://localhost:11434' };
const http = (status: number, message: string, retryAfterMs?: number) => mapOllamaError(new OllamaWireError('http', message, status, retryAfterMs), ctx);

describe('mapOllamaError', () => {
  it.each([
    [400, 'invalid message format', 'INVALID_REQUEST'],
    [400, 'the input length exceeds the context length', 'CONTEXT_LENGTH_EXCEEDED'],
    [401, 'unauthorized', 'AUTHENTICATION_FAILED'],
    [403, 'forbidden', 'PERMISSION_DENIED'],
    [404, 'model "qwen2.5:7b" not found, try pulling it first', 'MODEL_NOT_FOUND'],
    [404, '404 page not found', 'PROVIDER_UNAVAILABLE'],
    [429, 'too many requests', 'RATE_LIMITED'],
    [429, "you've reached your weekly usage limit", 'QUOTA_EXHAUSTED'],
    [502, 'Bad Gateway', 'SERVER_ERROR'],
    [503, 'server busy, please try again.  maximum pending requests exceeded', 'OVERLOADED'],
    [500, 'llama runner process has terminated', 'SERVER_ERROR'],
  ])('HTTP %i "%s" → %s', (status, message, code) => {
    expect(http(status, message)).toMatchObject({ code, provider: 'ollama' });
  });

  it('keeps the status and retry-after; names the pull command for a missing model', () => {
    expect(http(429, 'slow down', 2_500)).toMatchObject({ status: 429, retryAfterMs: 2_500, retryable: true });
    expect(http(404, 'model "qwen2.5:7b" not found')).toMatchObject({ model: 'qwen2.5:7b', message: expect.stringContaining('ollama pull qwen2.5:7b') });
  });

  it('connection refused is PROVIDER_UNAVAILABLE naming the URL; a reset mid-answer is SERVER_ERROR', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }) });
    expect(mapOllamaError(refused, ctx)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true, message: expect.stringContaining('http://localhost:11434') });
    const reset = new TypeError('terminated', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    expect(mapOllamaError(reset, ctx)).toMatchObject({ code: 'SERVER_ERROR' });
  });

  it('in-band error lines, malformed bodies and ollama-js ResponseErrors are typed too', () => {
    expect(mapOllamaError(new OllamaWireError('error-line', 'model "x" not found'), ctx)).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(mapOllamaError(new OllamaWireError('error-line', 'out of memory'), ctx)).toMatchObject({ code: 'SERVER_ERROR', retryable: true });
    expect(mapOllamaError(new OllamaWireError('malformed', 'not json'), ctx)).toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(mapOllamaError(new SyntaxError('Unexpected token <'), ctx)).toMatchObject({ code: 'MALFORMED_RESPONSE' });
    const responseError = Object.assign(new Error('unauthorized'), { name: 'ResponseError', status_code: 401 });
    expect(mapOllamaError(responseError, ctx)).toMatchObject({ code: 'AUTHENTICATION_FAILED', status: 401 });
  });
});
