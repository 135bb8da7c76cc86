import { describe, expect, it } from 'vitest';
import { toOllamaMessages } from './to-ollama-messages.js';

describe('toOllamaMessages', () => {
  it('refuses a tool result whose call is not in the history', () => {
    expect(() => toOllamaMessages([{ role: 'tool', content: [{ type: 'tool-result', toolCallId: 'nope', content: 'x' }] }], 'ollama')).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });

  it('marks failed tool results and keeps text sent beside them', () => {
    const out = toOllamaMessages(
      [
        { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'run', input: {} }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 't1', content: 'exit 1', isError: true }, { type: 'text', text: 'and then?' }] },
      ],
      'ollama',
    );
    expect(out.slice(1)).toEqual([
      { role: 'tool', content: 'Error: exit 1', tool_name: 'run' },
      { role: 'user', content: 'and then?' },
    ]);
  });
});
