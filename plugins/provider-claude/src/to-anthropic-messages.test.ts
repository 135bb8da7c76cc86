import { describe, expect, it } from 'vitest';
import { toAnthropicMessages } from './to-anthropic-messages.js';

describe('toAnthropicMessages', () => {
  it('moves system messages to `system` and keeps turns in order', () => {
    const r = toAnthropicMessages(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
        { role: 'system', content: [{ type: 'text', text: 'Use metric units.' }] },
        { role: 'assistant', content: 'hello' },
      ],
      'claude',
    );
    expect(r.system).toBe('Be brief.\n\nUse metric units.');
    expect(r.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
  });

  it('turns tool results into a user turn of tool_result blocks, first in a merged turn', () => {
    const r = toAnthropicMessages(
      [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool-call', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: { tempC: 4 } }, { type: 'tool-result', toolCallId: 'toolu_2', content: 'boom', isError: true }] },
      ],
      'claude',
    );
    expect(r.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
      ],
    });
    expect(r.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: '{"tempC":4}' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: 'boom', is_error: true },
      ],
    });
  });

  it('rejects parts in the wrong role and a conversation of system messages only', () => {
    expect(() => toAnthropicMessages([{ role: 'user', content: [{ type: 'tool-result', toolCallId: 'x', content: 1 }] }], 'claude')).toThrow(/tool-result part cannot appear in a user message/);
    expect(() => toAnthropicMessages([{ role: 'system', content: 'only' }], 'claude')).toThrow(/at least one user or assistant message/);
  });
});
