import { describe, expect, it } from 'vitest';
import { validateNdjson } from './validate-ndjson.js';

function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const p of pieces) c.enqueue(enc.encode(p));
      c.close();
    },
  });
}

async function read(stream: ReadableStream<Uint8Array>): Promise<{ text: string; error?: unknown }> {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let text = '';
  try {
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += dec.decode(r.value);
    return { text };
  } catch (error) {
    return { text, error };
  }
}

const signal = new AbortController().signal;

describe('validateNdjson', () => {
  it('passes complete lines through, even when split across chunks', async () => {
    const out = await read(validateNdjson(body('{"a":1}\n{"do', 'ne":true}\n'), signal));
    expect(out).toEqual({ text: '{"a":1}\n{"done":true}\n' });
  });

  it('delivers the lines before a bad one, then fails as malformed', async () => {
    const out = await read(validateNdjson(body('{"a":1}\nnot json\n{"done":true}\n'), signal));
    expect(out.text).toBe('{"a":1}\n');
    expect(out.error).toMatchObject({ kind: 'malformed' });
  });

  it('turns an {"error"} line into an error-line failure carrying its message', async () => {
    const out = await read(validateNdjson(body('{"a":1}\n{"error":"boom"}\n'), signal));
    expect(out.text).toBe('{"a":1}\n');
    expect(out.error).toMatchObject({ kind: 'error-line', message: 'boom' });
  });

  it('a body that ends without done:true (or status success) is a cut', async () => {
    expect((await read(validateNdjson(body('{"a":1}\n'), signal))).error).toMatchObject({ kind: 'cut' });
    expect((await read(validateNdjson(body('{"status":"success"}'), signal))).error).toBeUndefined();
  });
});
