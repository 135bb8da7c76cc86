import { describe, expect, it } from 'vitest';
import { readTextDelta } from './text-delta.js';

const wire = (index: number, text: string) => JSON.stringify({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });

describe('readTextDelta', () => {
  it('reads the index and text of a text delta as the API sends it', () => {
    expect(readTextDelta(wire(0, 'Hello'))).toEqual({ index: 0, text: 'Hello' });
    expect(readTextDelta(wire(12, ''))).toEqual({ index: 12, text: '' });
  });

  it('takes the spaced form the documentation prints', () => {
    expect(readTextDelta('{"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "Hi there"}}')).toEqual({ index: 1, text: 'Hi there' });
  });

  it('gives exactly what JSON.parse gives for escapes, quotes, control characters and non-BMP text', () => {
    const texts = ['line\nbreak', 'tab\there', 'a "quote"', 'back\\slash', 'slash / and \\/', 'é ü ß', '😀 emoji', '\u0000\u001f', 'mixed \\n not a newline', '\u2028\u2029'];
    for (const text of texts) expect(readTextDelta(wire(0, text))).toEqual({ index: 0, text });
    // Escapes the serializer here does not produce but the format allows.
    expect(readTextDelta('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\u00e9\\ud83d\\ude00\\/"}}')?.text).toBe('é😀/');
  });

  it('leaves every other shape to the full parse', () => {
    const other = [
      // Another delta type, another event, other keys or another key order.
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a"' } }),
      JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      JSON.stringify({ index: 0, type: 'content_block_delta', delta: { type: 'text_delta', text: 'x' } }),
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x', citations: [] } }),
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' }, extra: 1 }),
      // Not a valid JSON string, or no index: the full parse reports it.
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"raw\nnewline"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"bad \\x escape"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"short \\u12"}}',
      '{"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"x"}}',
      '{"type":"content_block_delta","index":01,"delta":{"type":"text_delta","text":"x"}}',
      '{"type":\u00a0"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}} trailing',
    ];
    for (const data of other) expect(readTextDelta(data), data).toBeUndefined();
  });

  it('agrees with JSON.parse on random text', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 2_000; n++) {
      let text = '';
      const length = Math.floor(random() * 12);
      for (let i = 0; i < length; i++) text += String.fromCharCode(random() < 0.8 ? 32 + Math.floor(random() * 95) : Math.floor(random() * 0x3000));
      const data = wire(n % 3, text);
      const parsed = JSON.parse(data) as { index: number; delta: { text: string } };
      expect(readTextDelta(data)).toEqual({ index: parsed.index, text: parsed.delta.text });
    }
  });
});
