import { describe, expect, it } from 'vitest';
import { CallOptionsSchema } from '../contract/call-options.js';
import { LLMMessagesSchema } from '../contract/message.js';
import { validateCall } from './validate-call.js';

const signal = new AbortController().signal;
const calls: Array<[unknown, Record<string, unknown> | undefined]> = [
  [[{ role: 'user', content: 'hi' }], undefined],
  [[{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi', extra: 'stripped' }], {}],
  [[{ role: 'user', content: 'hi' }], { model: 'm', temperature: 0, maxTokens: 64, stop: ['END'], signal, timeout: 500, cache: false }],
  [[{ role: 'user', content: 'hi' }], { model: undefined, maxTokens: undefined, temperature: undefined }],
  [[{ role: 'user', content: [{ type: 'text', text: 'parts' }] }], { temperature: 1.5 }],
  [[{ role: 'tool', content: 'result' }], { providerOptions: { ollama: { keepAlive: '5m' } } }],
];
const invalid: Array<[unknown, Record<string, unknown> | undefined, string]> = [
  [[], undefined, 'messages'],
  [[{ role: 'robot', content: 'hi' }], undefined, 'messages.0.role'],
  [[{ role: 'user', content: 42 }], undefined, 'messages.0.content'],
  [[{ role: 'user', content: 'hi' }], { temperature: 3 }, 'options.temperature'],
  [[{ role: 'user', content: 'hi' }], { maxTokens: 1.5 }, 'options.maxTokens'],
  [[{ role: 'user', content: 'hi' }], { model: '' }, 'options.model'],
  [[{ role: 'user', content: 'hi' }], { stop: [''] }, 'options.stop.0'],
  [[{ role: 'user', content: 'hi' }], { signal: {} }, 'options.signal'],
  [[{ role: 'user', content: 'hi' }], { timeout: 0 }, 'options.timeout'],
];

describe('validateCall', () => {
  it.each(calls)('gives what the schemas give for %j with %j', (messages, options) => {
    const call = validateCall('p', messages, options);
    expect(call.messages).toEqual(LLMMessagesSchema.parse(messages));
    expect(call.options).toEqual(CallOptionsSchema.parse(options ?? {}));
    // Copies, as the schemas make: later changes to the caller's objects do not reach the call.
    expect(call.messages).not.toBe(messages);
  });

  it.each(invalid)('rejects %j with %j, naming %s', (messages, options, field) => {
    expect(() => validateCall('p', messages, options)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST', field }));
  });
});
